package dev.aionet.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The baseline: the UDP echo a Netty user writes, on one event loop thread with Netty's default
 * datagram settings. It sends each received buffer back without copying and flushes once per
 * read burst.
 */
final class RawNettyUdpEcho implements UdpEchoTarget {
  private final EventLoopGroup group;
  private final Channel channel;
  private final long threadId;

  RawNettyUdpEcho(NettyTransport transport) {
    this(transport, 0);
  }

  /**
   * @param receiveBuffer the receive buffer's size in bytes, 0 for Netty's default (2,048, which
   *     truncates longer datagrams)
   */
  RawNettyUdpEcho(NettyTransport transport, int receiveBuffer) {
    group = transport.newGroup(1, "raw-udp-echo");
    Bootstrap bootstrap = new Bootstrap();
    if (receiveBuffer > 0) {
      bootstrap.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(receiveBuffer).maxMessagesPerRead(16));
    }
    channel = bootstrap.group(group)
        .channelFactory(() -> transport == NettyTransport.EPOLL
            ? new EpollDatagramChannel(SocketProtocolFamily.INET) : new NioDatagramChannel(SocketProtocolFamily.INET))
        .handler(Echo.INSTANCE)
        .bind("127.0.0.1", 0).syncUninterruptibly().channel();
    threadId = UdpEchoLoad.threadIdOf(channel.eventLoop());
  }

  @Override
  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public long threadId() {
    return threadId;
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Writes each datagram back to its sender; one flush per read burst. */
  @Sharable
  static final class Echo extends ChannelInboundHandlerAdapter {
    static final Echo INSTANCE = new Echo();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      DatagramPacket packet = (DatagramPacket) msg;
      ctx.write(new DatagramPacket(packet.content(), packet.sender()), ctx.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }
  }
}
