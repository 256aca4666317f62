package dev.aionet.streams;

import dev.aionet.core.Promise;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.nio.charset.Charset;

/**
 * Writes to the peer of one connection: asyncio's {@code StreamWriter}.
 *
 * <pre>{@code
 * writer.write("hello\n", UTF_8);      // queued; flushed at the end of this turn
 * writer.drain().join();               // the write buffer is below its high-water mark
 * writer.close();                      // flushes, then closes
 * writer.waitClosed().join();
 * }</pre>
 *
 * <p><b>Flushing.</b> Writes are queued in the channel and flushed together: a write made while
 * the connection's input is being read leaves at the end of that read burst (as a Netty handler
 * flushes in {@code channelReadComplete}), any other at the end of the loop turn; never one
 * system call per write. {@link #drain()} flushes at once only when the buffer is over its
 * high-water mark, so that the socket can take it.
 *
 * <p><b>Backpressure.</b> {@link #drain()} completes at once while the channel is writable, else
 * when Netty's write buffer falls below its low-water mark. Writing without draining can hold
 * unbounded memory.
 *
 * <p><b>Closing.</b> {@link #close()} flushes what was written before it, then closes; writes
 * after it are dropped silently and reads give EOF (aionet releases the unread input at once,
 * since Netty buffers are reference counted; asyncio would still return it).
 * {@code channel().close()} does not flush.
 *
 * <p><b>Lingering close.</b> Closing a socket whose input is not at EOF makes Linux send a reset,
 * and the reset makes the peer's kernel drop what it received but had not yet handed to its
 * application, so the last bytes written could be lost. When the input is not at EOF,
 * {@link #close()} therefore flushes, sends TLS's {@code close_notify} (on TLS), half-closes
 * the output, reads and discards input until the peer's EOF or the {@code lingerTimeout} of
 * {@link ServerOptions} / {@link ClientOptions} (default 2 s, {@code Duration.ZERO} turns it off),
 * and only then closes (nginx's {@code lingering_close}); {@link #waitClosed()} completes when
 * the socket is closed. TCP, Unix sockets and TLS all linger.
 *
 * <p><b>Threading.</b> Every method may be called from any thread; the work hops onto the
 * connection's event loop thread, in call order.
 *
 * <p><b>After the loop closed.</b> A call made from another thread once the connection's
 * {@code Loop} has closed cannot hop there: a buffer it was given is released, its promise
 * ({@link #drain()}, {@link #startTls}) fails with {@code IllegalStateException("loop is
 * closed")}, and the loop logs one warning (one per loop, however many calls it refuses).
 *
 * @since 0.1
 */
public interface StreamWriter {
  /**
   * Queues a copy of {@code data} for writing. On the loop thread the copy goes into one pooled
   * buffer shared by the small writes of the current turn (asyncio's transport appends them to
   * one bytearray the same way), so many small writes cost one channel write; the caller may
   * reuse its array as soon as this returns.
   *
   * @param data the bytes
   * @throws IllegalStateException after {@link #writeEof()}
   */
  void write(byte[] data);

  /**
   * Queues {@code text} encoded with {@code cs}.
   *
   * @param text the text
   * @param cs its charset
   * @throws IllegalStateException after {@link #writeEof()}
   */
  void write(String text, Charset cs);

  /**
   * Queues {@code data} without copying and takes ownership of it: the writer releases it once
   * written, or at once if it drops it (after {@link #close()}, or when the connection's loop has
   * closed) or refuses it (after {@link #writeEof()}), as {@code Channel.write} does.
   *
   * @param data the bytes
   * @throws IllegalStateException after {@link #writeEof()} (the buffer is released)
   */
  void write(ByteBuf data);

  /**
   * Queues each of {@code lines} in order (asyncio's {@code writelines}: no separators added).
   *
   * @param lines the chunks
   * @throws IllegalStateException after {@link #writeEof()}
   */
  void writeLines(Iterable<byte[]> lines);

  /**
   * Returns a promise that completes when the channel is writable: at once while it is (what was
   * written goes out with this loop turn's one coalesced flush), else after flushing, once the
   * socket has taken enough of the queued bytes to fall below the low-water mark.
   *
   * <p>Any number of callers may wait at once; all wake together (asyncio gh-74116). It fails
   * with {@link ConnectionResetException} when the connection is lost, also when it is lost while
   * waiting (asyncio completes such waiters normally when the loss had no error; aionet reports
   * it, since the unwritten bytes are gone), and after {@link #close()} once the connection is
   * closed. If the reader holds an exception, drain fails with that one first (asyncio).
   *
   * @return the promise
   */
  Promise<Void> drain();

  /**
   * Writes {@code data}, then drains: the safe default.
   *
   * @param data the bytes
   * @return the drain promise
   */
  Promise<Void> writeAndDrain(byte[] data);

  /**
   * Returns the bytes queued but not yet written to the socket, gathered small writes included
   * (asyncio's {@code get_write_buffer_size}). Bytes the socket takes at a turn's flush leave the
   * count at that flush. On a connection with no handler in front of the stream (no TLS, no
   * handler of the options' pipeline), the bytes written while nothing was queued go to the
   * socket without a Netty promise per write, as a hand-written Netty handler writes them; if
   * the socket cannot take them all at the flush, up to 64 KiB of them leave the count together,
   * once the last of them is sent, so the count may be that much high while the socket is full.
   * Other writes leave it one by one as the socket takes each.
   *
   * @return the byte count
   */
  long writeBufferSize();

  /**
   * Returns whether this connection can half-close (true for TCP).
   *
   * @return true when {@link #writeEof()} is supported
   */
  boolean canWriteEof();

  /**
   * Half-closes: flushes what was written, then shuts the output down so the peer reads EOF;
   * this side can still read. A later write throws {@link IllegalStateException}.
   *
   * @throws UnsupportedOperationException if {@link #canWriteEof()} is false
   */
  void writeEof();

  /**
   * Flushes what was written, then closes the connection, lingering while the input is not at
   * EOF (see the class documentation); closing twice is harmless.
   */
  void close();

  /**
   * Returns whether {@link #close()} was called or the connection is closed.
   *
   * @return true once closing
   */
  boolean isClosing();

  /**
   * Returns a promise that completes when the connection is closed, or fails with
   * {@link ConnectionResetException} if it was lost with an I/O error.
   *
   * @return the promise
   */
  Promise<Void> waitClosed();

  /**
   * Returns transport information (asyncio's {@code get_extra_info}): {@code "peername"},
   * {@code "sockname"} (the {@code SocketAddress}es), {@code "socket"} (the {@link Channel}),
   * {@code "sslcontext"} (the {@code SslContext}) and {@code "peercert"} (the peer's
   * {@code X509Certificate}; asyncio gives a dict), both null without TLS.
   *
   * @param name the key
   * @return the value, or {@code null} for an unknown key
   */
  Object getExtraInfo(String name);

  /**
   * Returns transport information as {@link #getExtraInfo(String)}, or {@code defaultValue}.
   *
   * @param name the key
   * @param defaultValue what an unknown key (or a null value) gives
   * @return the value
   */
  Object getExtraInfo(String name, Object defaultValue);

  /**
   * Upgrades this connection to TLS in place (asyncio's {@code start_tls}): flushes what was
   * written in plain text first, then puts Netty's {@code SslHandler} first in the pipeline. With
   * a client context the server's certificate is checked against the peer's address; use
   * {@link #startTls(io.netty.handler.ssl.SslContext, String)} to name the server.
   *
   * @param context a client or server {@code SslContext}
   * @return a promise that completes when the handshake succeeded, or fails with its error
   */
  Promise<Void> startTls(io.netty.handler.ssl.SslContext context);

  /**
   * As {@link #startTls(io.netty.handler.ssl.SslContext)}, sending {@code serverHostname} (SNI)
   * and checking the server's certificate against it (asyncio's {@code server_hostname}).
   *
   * @param context a client {@code SslContext} (a server one ignores the name)
   * @param serverHostname the server's name
   * @return a promise that completes when the handshake succeeded, or fails with its error
   */
  Promise<Void> startTls(io.netty.handler.ssl.SslContext context, String serverHostname);

  /**
   * Returns the Netty channel under this writer.
   *
   * @return the channel
   */
  Channel channel();
}
