package dev.aionet.streams.internal;

import dev.aionet.core.LoopError;
import dev.aionet.core.internal.LoopThread;
import dev.aionet.streams.ConnectionResetException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.io.IOException;
import java.util.Optional;

/**
 * The last inbound handler of a stream channel: it feeds the {@link StreamReaderImpl} and tells
 * the {@link StreamWriterImpl} about writability and loss.
 *
 * <pre>
 *   socket ─► [SslHandler] ─► user handlers ─► StreamAdapter ─► StreamReader buffer
 *                                                 │   autoRead off while the buffer holds &gt; 2 x limit,
 *                                                 │   on at &lt;= limit or when a read must wait
 *                                                 └─► StreamWriter: drain() wakes on writability
 * </pre>
 *
 * <p>A clean FIN (half-closure is allowed on aionet channels) is EOF for the reader; an
 * {@link IOException} (reset, broken pipe) fails reads, {@code drain()} and {@code waitClosed()}
 * with {@link ConnectionResetException}. Other exceptions from the user's handlers do the same and
 * also go to the loop's exception handler. Either way the channel is closed. When the channel
 * goes inactive, for whatever reason, the reader's unread bytes move to heap memory and the
 * socket's buffers are released, so a reader nobody closes holds no pooled memory.
 *
 * <p>When the writer's bytes are flushed is decided by the {@link FlushPolicy} this adapter
 * extends: at the end of the read burst they were written in, else once per loop turn.
 */
public final class StreamAdapter extends FlushPolicy implements ReadFlow {
  /** The adapter's name in the pipeline. */
  public static final String NAME = "aionet-stream";

  private final StreamReaderImpl reader;
  private final StreamWriterImpl writer;

  private StreamAdapter(Channel channel, LoopThread loop, int limit) {
    this.reader = new StreamReaderImpl(loop, limit, this);
    this.writer = new StreamWriterImpl(channel, reader, this);
  }

  /**
   * Adds an adapter at the end of {@code channel}'s pipeline.
   *
   * @param channel the channel
   * @param loop the context of the channel's event loop thread
   * @param limit the reader's limit
   * @return the adapter
   */
  public static StreamAdapter install(Channel channel, LoopThread loop, int limit) {
    StreamAdapter adapter = new StreamAdapter(channel, loop, limit);
    channel.pipeline().addLast(NAME, adapter);
    return adapter;
  }

  public StreamReaderImpl reader() {
    return reader;
  }

  public StreamWriterImpl writer() {
    return writer;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    readArrived(ctx);
    if (msg instanceof ByteBuf) {
      reader.feedData((ByteBuf) msg);
    } else {
      ctx.fireChannelRead(msg); // not bytes: the pipeline's tail logs and releases it
    }
  }

  /**
   * What the handler wrote while this read burst was processed goes out now, as a raw Netty echo
   * flushes in {@code channelReadComplete}: with many connections each one's reply leaves right
   * after its request, not after every connection's reads.
   */
  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    readBurstEnded();
    ctx.fireChannelReadComplete();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      reader.feedEof(); // the peer's FIN: EOF, and we may still write (half-close)
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    reader.connectionLost();
    writer.closed();
    ctx.fireChannelInactive();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    writer.writabilityChanged();
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    cause = unwrap(cause);
    if (!(cause instanceof IOException)) {
      reader.loopThread().loop().reportError(new LoopError("Unhandled exception in the pipeline of a stream connection",
          cause, Optional.empty(), Optional.of(ctx.channel())));
    }
    writer.recordError(cause);
    if (reader.exception() == null) {
      reader.setException(new ConnectionResetException("Connection lost: " + cause, cause));
    }
    ctx.close();
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
  protected Channel channel() {
    return writer.channel();
  }

  @Override
  protected LoopThread loopThread() {
    return reader.loopThread();
  }

  @Override
  protected void pushHeldWrites() {
    writer.pushGathered();
  }

  @Override
  public String toString() {
    return "StreamAdapter[" + writer.channel() + "]";
  }

  @Override
  public void pauseReading() {
    Channel channel = writer.channel(); // one field less for each connection
    if (channel.isActive()) {
      channel.config().setAutoRead(false);
    }
  }

  @Override
  public void resumeReading() {
    Channel channel = writer.channel();
    if (channel.isActive()) {
      channel.config().setAutoRead(true); // also asks the channel to read now
    }
  }
}
