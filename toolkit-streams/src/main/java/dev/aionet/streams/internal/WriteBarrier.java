package dev.aionet.streams.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * A write that carries no bytes and completes once everything written before it has reached
 * the socket: what {@code close()} waits for before it closes (Netty's own {@code close()} would
 * fail writes still queued). On a byte connection it is an empty buffer. On a message connection
 * an empty buffer would go through the codec's encoders (a length-prefix encoder would send an
 * empty frame), so the writer sends {@link #INSTANCE} instead, which no encoder takes, and
 * {@link Converter}, placed before the codec, turns it into the empty buffer.
 */
final class WriteBarrier {
  /** The barrier a message connection writes. */
  static final WriteBarrier INSTANCE = new WriteBarrier();

  /** The pipeline name of the converter. */
  static final String CONVERTER_NAME = "aionet-write-barrier";

  private WriteBarrier() {}

  @Override
  public String toString() {
    return "WriteBarrier";
  }

  /** Turns {@link #INSTANCE} into an empty buffer on its way to the socket. */
  @ChannelHandler.Sharable
  static final class Converter extends ChannelOutboundHandlerAdapter {
    static final Converter INSTANCE = new Converter();

    private Converter() {}

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      ctx.write(msg == WriteBarrier.INSTANCE ? Unpooled.EMPTY_BUFFER : msg, promise);
    }
  }
}
