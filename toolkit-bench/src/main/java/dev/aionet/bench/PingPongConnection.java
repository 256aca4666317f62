package dev.aionet.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * Request/response: sends one {@code size}-byte request, waits until all of it came back
 * (checking every byte), records the round trip, and sends the next, until the run stops or
 * {@code maxRequests} were echoed (idle mode sends one request to check the connection).
 */
final class PingPongConnection extends EchoConnection {
  private final int size;
  private final long maxRequests;
  private long request;
  private long position;
  private int received;
  private long sentAt;

  PingPongConnection(int id, int size, long maxRequests, LoopStatsByThread stats, LoadErrors errors) {
    super(id, stats, errors);
    this.size = size;
    this.maxRequests = maxRequests;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    send(ctx);
  }

  private void send(ChannelHandlerContext ctx) {
    position = EchoPattern.requestPosition(id, request);
    received = 0;
    sentAt = System.nanoTime();
    ctx.writeAndFlush(EchoPattern.copy(ctx.alloc(), position, size), ctx.voidPromise());
  }

  @Override
  void echoed(ChannelHandlerContext ctx, ByteBuf in) {
    int n = in.readableBytes();
    if (received + n > size) {
      fail(ctx, "request " + request + ": " + (received + n) + " bytes came back for a request of " + size);
      return;
    }
    if (!verify(ctx, in, position + received, "request " + request, received)) {
      return;
    }
    received += n;
    if (received < size) {
      return;
    }
    stats.latencyNanos.recordValue(Math.min(System.nanoTime() - sentAt, stats.latencyNanos.getHighestTrackableValue()));
    stats.requests++;
    stats.bytes += size;
    if (++request < maxRequests && !stats.stopped) {
      send(ctx);
    }
  }
}
