package dev.aionet.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * One load-generator connection: checks every echoed byte against {@link EchoPattern} and counts
 * into its thread's {@link LoopStats}. Any mismatch, exception, or close by the server before the
 * measurement ended is an error (one per connection); an error closes the connection.
 */
abstract class EchoConnection extends ChannelInboundHandlerAdapter {
  final int id;
  final LoadErrors errors;
  private final LoopStatsByThread statsByThread;
  LoopStats stats;
  /** This connection already counted its error (one per connection: the rest follows from it). */
  private boolean failed;

  EchoConnection(int id, LoopStatsByThread statsByThread, LoadErrors errors) {
    this.id = id;
    this.statsByThread = statsByThread;
    this.errors = errors;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    stats = statsByThread.of(ctx.executor());
  }

  @Override
  public final void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf in = (ByteBuf) msg;
    try {
      if (!stats.stopped) {
        echoed(ctx, in);
      }
    } finally {
      in.release();
    }
  }

  /** Checks and counts the echoed bytes in {@code in} (released by the caller). */
  abstract void echoed(ChannelHandlerContext ctx, ByteBuf in);

  /**
   * Checks {@code in}, which holds bytes {@code offset...} of {@code what}, against the pattern at
   * {@code position}; on a mismatch fails the connection.
   */
  final boolean verify(ChannelHandlerContext ctx, ByteBuf in, long position, String what, long offset) {
    int bad = EchoPattern.firstMismatch(in, position);
    if (bad < 0) {
      return true;
    }
    fail(ctx, String.format("%s, byte %d: expected 0x%02x, got 0x%02x", what, offset + bad,
        EchoPattern.at(position + bad), in.getByte(in.readerIndex() + bad)));
    return false;
  }

  /** Counts an error of this connection and closes it. */
  final void fail(ChannelHandlerContext ctx, String message) {
    if (!failed) {
      failed = true;
      errors.add("connection " + id + ", " + message);
    }
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!stats.stopped && !failed) {
      fail(ctx, "closed by the server before the end of the run");
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!stats.stopped) {
      fail(ctx, cause.toString());
    } else {
      ctx.close();
    }
  }
}
