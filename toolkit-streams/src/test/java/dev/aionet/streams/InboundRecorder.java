package dev.aionet.streams;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A pipeline handler (installed through the {@code pipeline} option, so it sits in front of the
 * stream adapter) that remembers every inbound {@code ByteBuf} it passes on, without owning
 * them, and the moment the peer's FIN arrives: tests then assert who released the socket's
 * buffers ({@code refCnt() == 0}) and when.
 */
final class InboundRecorder extends ChannelInboundHandlerAdapter {
  final List<ByteBuf> received = new CopyOnWriteArrayList<>();
  final CompletableFuture<Channel> active = new CompletableFuture<>();
  final CompletableFuture<Void> inputShutdown = new CompletableFuture<>();
  final CompletableFuture<Void> inactive = new CompletableFuture<>();

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    active.complete(ctx.channel());
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf) {
      received.add((ByteBuf) msg);
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      ctx.fireUserEventTriggered(evt);
      inputShutdown.complete(null);
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    ctx.fireChannelInactive(); // the stream adapter behind us has seen it when this completes
    inactive.complete(null);
  }

  /** Reference counts of every buffer seen so far (0: released). */
  List<Integer> refCounts() {
    return received.stream().map(ByteBuf::refCnt).toList();
  }

  static <T> T await(CompletableFuture<T> f, Duration timeout) {
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("not within " + timeout, e);
    }
  }
}
