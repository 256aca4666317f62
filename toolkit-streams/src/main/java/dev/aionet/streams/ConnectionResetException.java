package dev.aionet.streams;

import java.io.IOException;

/**
 * The connection broke or is gone: asyncio's {@code ConnectionResetError}.
 *
 * <p>Any I/O failure of the connection (reset, broken pipe, a closed channel) as seen by
 * {@link StreamWriter#drain()}, a pending read or {@link StreamWriter#waitClosed()}; Netty's
 * exception, when there was one, is the {@linkplain #getCause() cause}. A clean FIN from the peer
 * is EOF for reads, not a reset.
 *
 * @since 0.1
 */
public class ConnectionResetException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what happened, e.g. {@code "Connection lost"}
   * @param cause Netty's exception, or {@code null}
   */
  public ConnectionResetException(String message, Throwable cause) {
    super(message, cause);
  }
}
