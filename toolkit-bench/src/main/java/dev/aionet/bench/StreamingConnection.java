package dev.aionet.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * Bulk throughput: keeps {@code inFlight} bytes sent but not yet echoed, written in chunks of at
 * most {@code chunk} bytes, and tops up as the echo comes back, checking every byte. One
 * "request" is {@code chunk} echoed bytes.
 */
final class StreamingConnection extends EchoConnection {
  private final int chunk;
  private final int inFlight;
  private long sent;
  private long received;

  StreamingConnection(int id, int chunk, int inFlight, LoopStatsByThread stats, LoadErrors errors) {
    super(id, stats, errors);
    this.chunk = chunk;
    this.inFlight = inFlight;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    topUp(ctx);
  }

  @Override
  void echoed(ChannelHandlerContext ctx, ByteBuf in) {
    int n = in.readableBytes();
    if (received + n > sent) {
      fail(ctx, (received + n) + " bytes came back of " + sent + " sent");
      return;
    }
    if (!verify(ctx, in, streamStart() + received, "stream", received)) {
      return;
    }
    // Whole chunks completed by these bytes count as requests.
    stats.requests += (received + n) / chunk - received / chunk;
    stats.bytes += n;
    received += n;
    topUp(ctx);
  }

  private void topUp(ChannelHandlerContext ctx) {
    boolean wrote = false;
    while (sent - received < inFlight) {
      int len = (int) Math.min(chunk, inFlight - (sent - received));
      ctx.write(EchoPattern.copy(ctx.alloc(), streamStart() + sent, len), ctx.voidPromise());
      sent += len;
      wrote = true;
    }
    if (wrote) {
      ctx.flush();
    }
  }

  /** Each connection streams from its own place in the pattern. */
  private long streamStart() {
    return EchoPattern.requestPosition(id, 0);
  }
}
