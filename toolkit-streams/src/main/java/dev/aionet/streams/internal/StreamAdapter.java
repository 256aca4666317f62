package dev.aionet.streams.internal;

import dev.aionet.core.internal.LoopThread;
import dev.aionet.streams.UnexpectedMessageException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;

/**
 * The last inbound handler of a byte-stream connection: it feeds the {@link StreamReaderImpl}
 * (asyncio's {@code StreamReaderProtocol}); the rest of its work is {@link ConnectionEnd}'s.
 *
 * <pre>
 *   socket ─► [SslHandler] ─► user handlers ─► StreamAdapter ─► StreamReader buffer
 *                                                 │   autoRead off while the buffer holds &gt; 2 x limit,
 *                                                 │   on at &lt;= limit or when a read must wait
 *                                                 └─► StreamWriter: drain() wakes on writability
 * </pre>
 *
 * <p>Only bytes may reach it: a decoded message (a codec in the options' pipeline) fails the
 * reader with {@link UnexpectedMessageException}, since the byte streams cannot carry it (use
 * {@code Messages}). When the channel goes inactive, for whatever reason, the reader's unread
 * bytes move to heap memory and the socket's buffers are released, so a reader nobody closes
 * holds no pooled memory.
 */
public final class StreamAdapter extends ConnectionEnd {
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

  @Override
  public StreamWriterImpl writer() {
    return writer;
  }

  @Override
  ReaderSide readerSide() {
    return reader;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    readStarted(ctx);
    if (msg instanceof ByteBuf) {
      ServerTraffic.countRead(ctx.channel(), ((ByteBuf) msg).readableBytes());
      reader.feedData((ByteBuf) msg);
    } else {
      ReferenceCountUtil.release(msg);
      fail(ctx, new UnexpectedMessageException(msg.getClass(), "a " + msg.getClass().getName()
          + " reached the byte streams of " + ctx.channel() + ": handlers in front of a StreamReader must pass"
          + " ByteBufs on; read decoded messages with dev.aionet.streams.Messages and a Codec"));
    }
  }

  @Override
  void inputEnded() {
    reader.feedEof();
  }

  @Override
  void connectionLost() {
    reader.connectionLost();
  }

  @Override
  void failReads(Throwable error) {
    reader.setException(error);
  }

  @Override
  void inputTruncated(Throwable error) {
    reader.endWithError(error);
  }

  /**
   * A connection's first fault fails its reads (and drain) and closes it. It goes to the loop's
   * exception handler once, unless it is an {@link IOException} (a reset, a TLS error): those
   * reach the handler's reads, and the handler decides (asyncio reports a transport's
   * {@code OSError} only in debug mode). A later fault of the same connection, and the handler
   * failing with the reads' error, are not reported again: one bad peer, one report.
   */
  @Override
  Throwable readFailure(Throwable cause) {
    return cause instanceof UnexpectedMessageException ? cause
        : brokenBy(cause);
  }

  @Override
  String failureReport() {
    return "Unhandled exception in the pipeline of a stream connection";
  }

  @Override
  public String toString() {
    return "StreamAdapter[" + writer.channel() + "]";
  }
}
