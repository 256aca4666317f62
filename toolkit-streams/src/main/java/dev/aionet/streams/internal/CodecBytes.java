package dev.aionet.streams.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;

/**
 * The bytes beneath a message connection's codec, where a byte connection's reader and writer
 * stand: the handler in front of the codec (after TLS and the options' handlers). It counts them
 * for {@code Server.stats()}, as the byte streams count theirs, and turns the writer's
 * {@link WriteBarrier} into the empty buffer no encoder ever saw.
 *
 * <pre>
 *   socket ─► [SslHandler] ─► user handlers ─► CodecBytes ─► codec ─► ... ─► MessageAdapter
 *                                               bytes read: counted when they pass
 *                                               bytes written: counted once the socket took them
 * </pre>
 *
 * <p>A written buffer is counted when its write succeeds, like a byte writer's. When the encoder
 * passed the writer's own promise down (one buffer per message, the common case), the count rides
 * on that promise and costs nothing; otherwise (an encoder that split a message, a handler that
 * wrote on its own, such as a protocol handshake) a listener counts it. Stateless and shared by
 * every connection.
 */
@ChannelHandler.Sharable
final class CodecBytes extends ChannelDuplexHandler {
  /** The handler's name in the pipeline. */
  static final String NAME = "aionet-codec-bytes";

  static final CodecBytes INSTANCE = new CodecBytes();

  private CodecBytes() {}

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf) {
      ServerTraffic.countRead(ctx.channel(), ((ByteBuf) msg).readableBytes());
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg == WriteBarrier.INSTANCE) {
      ctx.write(Unpooled.EMPTY_BUFFER, promise);
      return;
    }
    long bytes = sizeOf(msg);
    ServerTraffic traffic = bytes == 0 ? null : ServerTraffic.of(ctx.channel());
    if (traffic != null && !StreamWriterImpl.countWithWrite(promise, bytes)) {
      if (promise.isVoid()) {
        traffic.written.add(bytes); // nobody can learn whether it failed: handed over counts
      } else {
        promise.addListener(f -> {
          if (f.isSuccess()) {
            traffic.written.add(bytes);
          }
        });
      }
    }
    ctx.write(msg, promise);
  }

  private static long sizeOf(Object msg) {
    if (msg instanceof ByteBuf) {
      return ((ByteBuf) msg).readableBytes();
    }
    if (msg instanceof ByteBufHolder) {
      return ((ByteBufHolder) msg).content().readableBytes();
    }
    if (msg instanceof FileRegion) {
      FileRegion region = (FileRegion) msg;
      return region.count() - region.transferred();
    }
    return 0;
  }
}
