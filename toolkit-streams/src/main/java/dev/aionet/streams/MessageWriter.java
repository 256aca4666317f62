package dev.aionet.streams;

import dev.aionet.core.Promise;
import io.netty.channel.Channel;

/**
 * Writes messages to the peer of one connection through its codec's encoders: asyncio's
 * {@code StreamWriter} for messages.
 *
 * <p>{@link #write} never blocks: messages are gathered and flushed once per loop turn (the turn
 * that follows the read burst they answer), and {@link #drain()} waits while Netty's outbound
 * buffer is over its high-water mark. {@code drain()} flushes at once only then, so answering each
 * request with {@link #writeAndDrain} costs no flush of its own: the answers to one burst of
 * requests leave with one flush. Ownership of a written message passes to aionet: a
 * {@code ReferenceCounted} message is released once written, or when it cannot be written (the
 * connection closed); a write after {@link #close()} is dropped (and released), and the next
 * {@code drain()} fails with {@link ConnectionResetException}, as a {@link StreamWriter}'s. A
 * write from another thread after the connection's {@code Loop} closed is released, a
 * {@code drain()} then fails with {@code IllegalStateException("loop is closed")}, and the loop
 * logs one warning.
 *
 * @param <O> the type of the messages the codec encodes
 * @since 0.2
 */
public interface MessageWriter<O> {
  /**
   * Queues one message for the codec's encoders; never blocks.
   *
   * @param message the message, not null
   */
  void write(O message);

  /**
   * Waits until the outbound buffer is below its high-water mark (asyncio's {@code drain()}).
   *
   * @return a promise that completes when writing may go on, failing if the connection is lost
   */
  Promise<Void> drain();

  /**
   * Writes {@code message}, then drains: the safe default.
   *
   * @param message the message
   * @return the drain promise
   */
  Promise<Void> writeAndDrain(O message);

  /** Flushes what was written, then closes the connection (asyncio's {@code close()}). */
  void close();

  /** Closes at once, discarding what was not sent yet (asyncio's {@code transport.abort()}). */
  void abort();

  /**
   * Whether {@link #close()} was called or the connection is gone.
   *
   * @return true once closing
   */
  boolean isClosing();

  /**
   * Waits until the connection is closed.
   *
   * @return a promise that completes once closed, failing with the connection's error if it was lost
   */
  Promise<Void> waitClosed();

  /**
   * asyncio's {@code get_extra_info}: {@code peername}, {@code sockname}, {@code socket},
   * {@code sslcontext}, {@code peercert}.
   *
   * @param name the name
   * @return the value, or null
   */
  Object getExtraInfo(String name);

  /**
   * The connection's Netty channel.
   *
   * @return the channel
   */
  Channel channel();
}
