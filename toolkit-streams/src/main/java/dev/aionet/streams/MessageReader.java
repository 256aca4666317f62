package dev.aionet.streams;

import dev.aionet.core.Promise;

/**
 * Reads the decoded messages of one connection, one {@link #read()} at a time: asyncio's
 * {@code StreamReader} for messages instead of bytes (what a websocket library's {@code recv()}
 * is).
 *
 * <pre>{@code
 * String line = reader.read().join();   // the next message, or null once the peer closed
 * }</pre>
 *
 * <p><b>Nothing is lost to a cancel.</b> A message leaves the queue only by completing a read
 * whose caller gets it. A cancelled read, a {@code waitFor(reader.read(), d)} that times out, a
 * task cancelled just as the message arrived: the message stays first in the queue for the next
 * read.
 *
 * <p><b>Ownership.</b> A message a read returned belongs to the caller, who releases it if it is
 * {@code ReferenceCounted} (a {@code ByteBuf} frame, say). aionet releases every message still
 * queued when the connection's writer is closed or aborted.
 *
 * <p><b>Backpressure.</b> Reading from the socket pauses while {@link #queued()} reaches the
 * {@code messageLimit} of the options and resumes at half of it; a decoder may overshoot by the
 * messages of one socket read.
 *
 * <p><b>Bad input.</b> A decoder's exception (a frame too long, malformed input) or a message of an
 * unexpected type ({@link UnexpectedMessageException}) fails the pending and every later read,
 * goes once to the loop's exception handler and closes the connection. A lost connection fails
 * them with {@link ConnectionResetException}. As for bytes, messages that arrived before the error
 * are not read past it.
 *
 * <p><b>Threading.</b> Thread-safe: reads hop onto the connection's loop thread; one read may wait
 * at a time (a second fails with {@code IllegalStateException}, as asyncio's streams). A read made
 * from another thread after the connection's {@code Loop} closed fails with
 * {@code IllegalStateException("loop is closed")}.
 *
 * @param <I> the type of the messages the codec delivers
 * @since 0.2
 */
public interface MessageReader<I> {
  /**
   * Reads the next message.
   *
   * @return a promise of the next message; of null once the peer closed and every message was
   *     read; failing with the connection's error
   */
  Promise<I> read();

  /**
   * Whether the peer closed and every message was read.
   *
   * @return true at EOF with nothing queued
   */
  boolean atEof();

  /**
   * How many decoded messages wait to be read.
   *
   * @return the count
   */
  int queued();

  /**
   * The error reads fail with, if any.
   *
   * @return the exception, or null
   */
  Throwable exception();
}
