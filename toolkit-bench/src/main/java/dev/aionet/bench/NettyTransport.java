package dev.aionet.bench;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Locale;

/** The Netty transport of the raw-Netty server and of the load generator: NIO or epoll. */
enum NettyTransport {
  NIO,
  EPOLL;

  /**
   * Parses {@code nio}, {@code epoll} or {@code auto} (epoll where available, else NIO).
   *
   * @throws IllegalArgumentException for another name, or epoll where it is unavailable
   */
  static NettyTransport parse(String name) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "auto":
        return Epoll.isAvailable() ? EPOLL : NIO;
      case "nio":
        return NIO;
      case "epoll":
        if (!Epoll.isAvailable()) {
          throw new IllegalArgumentException("epoll is not available here: " + Epoll.unavailabilityCause());
        }
        return EPOLL;
      default:
        throw new IllegalArgumentException("unknown transport (nio, epoll or auto): " + name);
    }
  }

  EventLoopGroup newGroup(int threads, String threadPrefix) {
    DefaultThreadFactory factory = new DefaultThreadFactory(threadPrefix);
    return new MultiThreadIoEventLoopGroup(threads, factory,
        this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
  }

  Class<? extends ServerChannel> serverChannel() {
    return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  Class<? extends SocketChannel> channel() {
    return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
  }
}
