package dev.aionet.streams;

import dev.aionet.core.Promise;
import io.netty.buffer.ByteBuf;
import java.nio.charset.Charset;

/**
 * Reads what the peer of one connection sends: asyncio's {@code StreamReader}.
 *
 * <pre>{@code
 * byte[] line = reader.readLine().join();       // b"hello\n"
 * byte[] four = reader.readExactly(4).join();   // exactly 4 bytes, or IncompleteReadException at EOF
 * byte[] rest = reader.read(-1).join();         // everything up to EOF
 * assert reader.atEof();
 * }</pre>
 *
 * <p><b>Buffer.</b> Bytes arrive into a buffer; a read consumes bytes only when it succeeds.
 * Reading from the socket pauses while the buffer holds more than {@code 2 x limit} bytes and
 * resumes at {@code limit} or fewer; a read that has to wait resumes it first, so the buffer
 * holds at most {@code 2 x limit} plus one socket read (64 KiB). One difference from asyncio that
 * Netty forces: once the peer has half-closed (sent FIN), the epoll transport reads everything
 * the kernel still holds for the socket whatever the pause, to find EOF. The buffer may then hold
 * up to the socket's receive buffer on top of that bound: on Linux twice {@code SO_RCVBUF} where it
 * is set, else up to the autotuned maximum ({@code net.ipv4.tcp_rmem}, 6 MiB by default). NIO
 * keeps the bound after a FIN too.
 *
 * <p><b>Limit.</b> {@link #readUntil} and {@link #readLine()} look for their separator within
 * {@link #limit()} bytes (asyncio's {@code limit}, default 64 KiB); {@code read}, {@code
 * readExactly} and {@code readBuf} are not capped by it.
 *
 * <p><b>Errors.</b> Once the connection failed ({@link ConnectionResetException}) every read
 * fails with that exception, even while bytes are still buffered (asyncio's {@code
 * set_exception}). One exception: a TLS peer that ends its output in the middle of a record
 * (without {@code close_notify}) truncated the stream. Reads then still get the bytes of every
 * complete record; a read the buffer cannot serve, or one that would see EOF, fails with
 * {@link ConnectionResetException} caused by an {@code SSLException}, and consumes nothing.
 * asyncio reports EOF there and drops the partial record. A FIN at a record boundary without
 * {@code close_notify} is EOF, as in asyncio.
 *
 * <p><b>Cancellation.</b> Exactly one read may be pending at a time; a second concurrent read
 * fails with {@link IllegalStateException}. Cancelling a pending read keeps every buffered byte
 * for the next read.
 *
 * <p><b>Threading.</b> Every method may be called from any thread; reads run on the connection's
 * event loop thread and their promises belong to it. A read made from another thread after the
 * connection's {@code Loop} closed fails with {@code IllegalStateException("loop is closed")}.
 *
 * @since 0.1
 */
public interface StreamReader {
  /**
   * Reads up to {@code n} bytes, returning as soon as at least one byte is buffered.
   *
   * <p>{@code n == -1} reads everything up to EOF; {@code n == 0} completes with an empty array
   * at once. At EOF with an empty buffer the promise completes with an empty array.
   *
   * @param n the most bytes to return, or -1 for all up to EOF
   * @return the bytes
   * @throws IllegalArgumentException if {@code n < -1} (asyncio reads to EOF for any negative n)
   */
  Promise<byte[]> read(int n);

  /**
   * Reads exactly {@code n} bytes.
   *
   * <p>If EOF comes first the promise fails with {@link IncompleteReadException} holding the
   * bytes read so far; the buffer is then empty. {@code n == 0} completes with an empty array.
   *
   * @param n the byte count
   * @return the bytes
   * @throws IllegalArgumentException if {@code n < 0}
   */
  Promise<byte[]> readExactly(int n);

  /**
   * Reads one line, through its {@code '\n'}.
   *
   * <p>At EOF it returns the partial line without a newline, then empty arrays. <b>Limit</b>
   * (aionet's decision, Netty's fail-fast {@code LineBasedFrameDecoder}; asyncio differs): as
   * soon as more than {@link #limit()} bytes are buffered without a newline, or the line found is
   * longer than the limit, the promise fails with {@link LimitOverrunException}; the over-long
   * line is dropped up to and including its newline, also bytes of it that arrive later, so the
   * next read sees only what follows that newline.
   *
   * @return the line, or an empty array at EOF
   */
  Promise<byte[]> readLine();

  /**
   * Reads until {@code separator} and returns the data including the separator.
   *
   * <p>On EOF first the promise fails with {@link IncompleteReadException} (the partial data,
   * which may hold part of the separator; the buffer is then empty). If the separator is not
   * found within {@link #limit()} bytes, or found beyond it, it fails with
   * {@link LimitOverrunException} and nothing is consumed: the data stays in the buffer and can be
   * read again (asyncio's {@code readuntil}).
   *
   * @param separator at least one byte
   * @return the data through the separator
   * @throws IllegalArgumentException if the separator is empty
   */
  Promise<byte[]> readUntil(byte[] separator);

  /**
   * Reads until any of {@code separators}; the match that ends earliest wins, even if it is the
   * longer one (asyncio 3.13). Otherwise as {@link #readUntil(byte[])}.
   *
   * @param separators one or more separators of at least one byte each
   * @return the data through the winning separator
   * @throws IllegalArgumentException if no separator is given or one is empty
   */
  Promise<byte[]> readUntil(byte[]... separators);

  /**
   * Reads one line as {@link #readLine()} and decodes it without its terminator ({@code "\n"} or
   * {@code "\r\n"}).
   *
   * @param charset the line's charset
   * @return the line, or {@code null} at EOF
   */
  Promise<String> readLine(Charset charset);

  /**
   * Reads as {@link #read(int)}, without copying: the buffer may share the received memory.
   *
   * @param n the most bytes to return, or -1 for all up to EOF
   * @return the bytes; the caller owns the buffer and must release it (an empty buffer at EOF)
   * @throws IllegalArgumentException if {@code n < -1}
   */
  Promise<ByteBuf> readBuf(int n);

  /**
   * Returns whether EOF was received and the buffer is empty (asyncio's {@code at_eof}).
   *
   * @return true once nothing more can be read
   */
  boolean atEof();

  /**
   * Returns the buffer limit.
   *
   * @return the limit in bytes
   */
  int limit();

  /**
   * Returns the exception the connection failed with, or {@code null}.
   *
   * @return the exception every read fails with, or {@code null}
   */
  Throwable exception();
}
