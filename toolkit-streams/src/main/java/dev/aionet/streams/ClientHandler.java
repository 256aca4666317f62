package dev.aionet.streams;

import dev.aionet.core.Promise;

/**
 * The code that serves one accepted connection: asyncio's {@code client_connected_cb}.
 *
 * <p>It runs as a task pinned to the connection's event loop thread. When its promise settles,
 * aionet flushes and closes the connection if the handler left it open. A handler that throws or
 * whose promise fails is reported to the loop's exception handler ({@code "Unhandled exception in
 * client_connected_cb"}) and its connection is closed; a cancelled handler closes its connection
 * silently. The server keeps serving either way.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface ClientHandler {
  /**
   * Serves one connection.
   *
   * @param reader the connection's reader
   * @param writer the connection's writer
   * @return a promise that settles when the handler is done with the connection
   * @throws Exception a failure, reported like a failed promise
   */
  Promise<Void> handle(StreamReader reader, StreamWriter writer) throws Exception;
}
