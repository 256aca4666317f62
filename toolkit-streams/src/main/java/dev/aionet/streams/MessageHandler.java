package dev.aionet.streams;

import dev.aionet.core.Promise;

/**
 * The code that serves one accepted connection of a {@link Messages} server, as a
 * {@link ClientHandler} serves a byte-stream connection: it runs as a task on the connection's
 * loop thread, and the connection is closed once its promise settles (a failure is reported to the
 * loop's exception handler).
 *
 * @param <I> the type of the messages read
 * @param <O> the type of the messages written
 * @since 0.2
 */
@FunctionalInterface
public interface MessageHandler<I, O> {
  /**
   * Serves one connection.
   *
   * @param reader the connection's message reader
   * @param writer the connection's message writer
   * @return a promise that settles when the handler is done with the connection
   * @throws Exception a failure, reported like a failed promise
   */
  Promise<Void> handle(MessageReader<I> reader, MessageWriter<O> writer) throws Exception;
}
