package dev.aionet.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An echo server on 127.0.0.1 that flips the 5000th byte of every connection (the last byte of
 * request 5 of 1000 bytes): a load generator must notice.
 */
final class CorruptEchoServer implements AutoCloseable {
  private final EventLoopGroup group = NettyTransport.NIO.newGroup(1, "corrupt-echo");
  private final Channel channel;

  CorruptEchoServer() throws InterruptedException {
    channel = new ServerBootstrap().group(group).channel(NettyTransport.NIO.serverChannel())
        .childHandler(new CorruptingEcho()).bind("127.0.0.1", 0).sync().channel();
  }

  int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() throws InterruptedException {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }

  /** Echoes, but flips the 5000th byte it has seen on its connection. */
  private static final class CorruptingEcho extends ChannelInboundHandlerAdapter {
    private final AtomicLong seen = new AtomicLong();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf in = (ByteBuf) msg;
      long before = seen.getAndAdd(in.readableBytes());
      long target = 4_999;
      if (before <= target && target < before + in.readableBytes()) {
        int index = in.readerIndex() + (int) (target - before);
        in.setByte(index, ~in.getByte(index));
      }
      ctx.writeAndFlush(in);
    }
  }
}
