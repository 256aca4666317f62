package dev.aionet.streams.internal;

import dev.aionet.core.AsyncTimeoutException;
import dev.aionet.core.LoopError;
import dev.aionet.core.internal.LoopThread;
import dev.aionet.streams.ConnectionResetException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import java.io.IOException;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * The last inbound handler of an aionet connection, byte stream or messages: it feeds the
 * connection's reader, tells its writer about writability and loss, and (as a
 * {@link FlushPolicy}) decides when the writer's output is flushed.
 *
 * <p>A clean FIN (half-closure is allowed on aionet channels), or the peer's TLS
 * {@code close_notify} (Netty's {@link SslCloseCompletionEvent}), is EOF for the reader; a TLS
 * peer's FIN in the middle of a record ({@link TlsRecordBoundary}) is an error after the data; an
 * {@link IOException} (reset, broken pipe) fails reads, {@code drain()} and {@code waitClosed()}
 * with {@link ConnectionResetException}. Any other exception from the pipeline (a user handler's,
 * a decoder's) does the same in the form {@link #readFailure} gives it and goes once to the loop's
 * exception handler. Either way the channel is closed.
 */
public abstract class ConnectionEnd extends FlushPolicy implements ReadFlow {
  /** The connection's writer. */
  public abstract StreamWriterImpl writer();

  /** The reader, as the writer sees it. */
  abstract ReaderSide readerSide();

  /** The peer closed its side: EOF once the reader's input is read. */
  abstract void inputEnded();

  /** The channel is gone: the reader keeps what it has and is at EOF after it. */
  abstract void connectionLost();

  /** Fails every read from now on with {@code error}. */
  abstract void failReads(Throwable error);

  /**
   * The input ended with {@code error} (a truncated TLS stream): reads fail with it, by default at
   * once; a reader that can deliver what it holds first does so.
   */
  void inputTruncated(Throwable error) {
    failReads(error);
  }

  /** What the reads fail with when {@code cause} (not an I/O error) came down the pipeline. */
  abstract Throwable readFailure(Throwable cause);

  /** The message of the report to the loop's exception handler for a fault nobody named. */
  abstract String failureReport();

  /** The report's message: a timeout says it is one (not a reset), a decoder failure and a lack of memory too. */
  private String describeFault(Throwable cause) {
    if (cause instanceof io.netty.handler.timeout.TimeoutException || cause instanceof AsyncTimeoutException) {
      return "Connection closed: timed out";
    }
    if (cause instanceof io.netty.handler.codec.DecoderException) {
      return "Connection closed: bad input (decoder failed)";
    }
    if (cause instanceof OutOfMemoryError) {
      return "Connection closed: out of memory"; // direct memory, say: the other connections go on
    }
    return failureReport();
  }

  /**
   * Whether {@code handlerFailure} is this connection's fault that already went to the exception
   * handler: the handler let the reads' error escape, and reporting it again would report one
   * fault twice. (No flag: a field would cost every idle connection.)
   *
   * @param handlerFailure what the connection's handler failed with
   * @return true if it was reported when the connection failed
   */
  public boolean alreadyReported(Throwable handlerFailure) {
    Throwable lost = readerSide().exception();
    return handlerFailure == lost
        && !(lost instanceof ConnectionResetException && lost.getCause() instanceof IOException);
  }

  /**
   * Called first by every {@code channelRead}: a read burst of Netty's read loop is one loop turn
   * (with the handler code it resumes inline), as a pass over the ready callbacks is, and its
   * writes are flushed when it ends.
   */
  final void readStarted(ChannelHandlerContext ctx) {
    burstTurnBegins();
    readArrived();
  }

  @Override
  public final void channelReadComplete(ChannelHandlerContext ctx) {
    readBurstEnded();
    ctx.fireChannelReadComplete();
    burstTurnEnds();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent
        || evt instanceof SslCloseCompletionEvent && ((SslCloseCompletionEvent) evt).isSuccess()) {
      // The peer's FIN, or its TLS close_notify: EOF, and we may still write (half-close).
      inputEnded();
      writer().inputEnded(); // ends a lingering close
    } else if (evt == TlsRecordBoundary.TRUNCATED) {
      // asyncio would drop the partial record and report EOF; a cut-short stream is an error here
      SSLException cut = new SSLException("TLS stream truncated: the peer closed its output in the middle of a"
          + " record, without close_notify");
      if (readerSide().exception() == null) {
        inputTruncated(brokenBy(cut));
      }
      writer().recordError(cut);
      ctx.close();
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    connectionLost();
    writer().closed();
    ctx.fireChannelInactive();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    writer().writabilityChanged();
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof java.nio.channels.ClosedChannelException && !ctx.channel().isOpen()) {
      return; // a write the close itself failed (the writer's, sent without a promise): not a fault
    }
    fail(ctx, unwrap(cause));
  }

  /** Fails the connection with {@code cause}: reads fail, the first non-I/O error is reported, the channel closes. */
  final void fail(ChannelHandlerContext ctx, Throwable cause) {
    boolean first = readerSide().exception() == null;
    if (cause instanceof IOException) {
      if (first) {
        failReads(brokenBy(cause));
      }
    } else if (first) {
      loopThread().loop().reportError(new LoopError(describeFault(cause), cause, Optional.empty(),
          Optional.of(ctx.channel())));
      failReads(readFailure(cause));
    }
    writer().recordError(cause);
    ctx.close();
  }

  /** What reads fail with when the connection broke with {@code cause}. */
  static ConnectionResetException brokenBy(Throwable cause) {
    return new ConnectionResetException("Connection lost: " + cause, cause);
  }

  /** The I/O error inside Netty's wrappers (a DecoderException around an SSLException...). */
  static Throwable unwrap(Throwable cause) {
    Throwable c = cause;
    while ((c instanceof io.netty.handler.codec.DecoderException || c instanceof java.io.UncheckedIOException)
        && c.getCause() instanceof IOException) {
      c = c.getCause();
    }
    return c;
  }

  @Override
  protected final Channel channel() {
    return writer().channel();
  }

  @Override
  protected final LoopThread loopThread() {
    return readerSide().loopThread();
  }

  @Override
  protected final void pushHeldWrites() {
    writer().pushGathered();
  }

  @Override
  protected final void flushed() {
    writer().flushed();
  }

  @Override
  public final void pauseReading() {
    Channel channel = channel(); // no field of its own: one reference less for each connection
    if (channel.isActive()) {
      channel.config().setAutoRead(false);
    }
  }

  @Override
  public final void resumeReading() {
    Channel channel = channel();
    if (channel.isActive()) {
      channel.config().setAutoRead(true); // also asks the channel to read now
    }
  }
}
