package dev.aionet.streams;

import java.io.IOException;

/**
 * A separator was not found within the reader's limit: asyncio's {@code LimitOverrunError}.
 *
 * <p>After {@link StreamReader#readUntil(byte[])} nothing was consumed: {@link #consumed()} is
 * how many bytes could be consumed to move past the data that was searched, as asyncio. After
 * {@link StreamReader#readLine()} (see docs/differences-from-asyncio.md; like Netty's fail-fast
 * {@code LineBasedFrameDecoder}) {@link #consumed()} is the number of bytes of the over-long line
 * dropped when it was raised, at least {@code limit + 1}; the reader then drops the rest of that
 * line up to and including its newline.
 *
 * @since 0.1
 */
public class LimitOverrunException extends IOException {
  private static final long serialVersionUID = 1L;

  /** How many bytes were, or could be, consumed: see {@link #consumed()}. */
  private final int consumed;

  /**
   * Creates the exception.
   *
   * @param message what overran the limit
   * @param consumed see {@link #consumed()}
   */
  public LimitOverrunException(String message, int consumed) {
    super(message);
    this.consumed = consumed;
  }

  /**
   * Returns the byte count described in the class comment.
   *
   * @return the count
   */
  public int consumed() {
    return consumed;
  }
}
