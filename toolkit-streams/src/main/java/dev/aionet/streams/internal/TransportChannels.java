package dev.aionet.streams.internal;

import dev.aionet.core.Transport;
import io.netty.bootstrap.AbstractBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.net.StandardSocketOptions;

/** The channel classes (and transport-specific options) of a loop's transport. */
final class TransportChannels {
  private TransportChannels() {}

  /** A TCP or UDP port, 0 meaning any: {@code IllegalArgumentException} outside 0-65535. */
  static int checkPort(int port) {
    if (port < 0 || port > 0xFFFF) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    return port;
  }

  static Class<? extends ServerChannel> serverSocket(Transport transport) {
    return switch (transport) {
      case EPOLL -> EpollServerSocketChannel.class;
      case IO_URING -> IoUringServerSocketChannel.class;
      default -> NioServerSocketChannel.class;
    };
  }

  static Class<? extends SocketChannel> socket(Transport transport) {
    return switch (transport) {
      case EPOLL -> EpollSocketChannel.class;
      case IO_URING -> IoUringSocketChannel.class;
      default -> NioSocketChannel.class;
    };
  }

  static Class<? extends ServerChannel> serverDomainSocket(Transport transport) {
    return switch (transport) {
      case EPOLL -> io.netty.channel.epoll.EpollServerDomainSocketChannel.class;
      case IO_URING -> io.netty.channel.uring.IoUringServerDomainSocketChannel.class;
      default -> io.netty.channel.socket.nio.NioServerDomainSocketChannel.class;
    };
  }

  static Class<? extends io.netty.channel.Channel> domainSocket(Transport transport) {
    return switch (transport) {
      case EPOLL -> io.netty.channel.epoll.EpollDomainSocketChannel.class;
      case IO_URING -> io.netty.channel.uring.IoUringDomainSocketChannel.class;
      default -> io.netty.channel.socket.nio.NioDomainSocketChannel.class;
    };
  }

  /** The address of a Unix socket file, as the transport wants it (NIO: the JDK's, Java 16+). */
  static java.net.SocketAddress domainAddress(Transport transport, java.nio.file.Path path) {
    return transport == Transport.NIO ? java.net.UnixDomainSocketAddress.of(path)
        : new io.netty.channel.unix.DomainSocketAddress(path.toFile());
  }

  /**
   * Makes UDP channels of the given family: the family is fixed, so an IPv4 endpoint reports
   * IPv4 addresses rather than the IPv4-mapped IPv6 ones of a dual-stack socket.
   */
  static ChannelFactory<Channel> datagram(Transport transport, SocketProtocolFamily family) {
    return switch (transport) {
      case EPOLL -> () -> new EpollDatagramChannel(family);
      case IO_URING -> () -> new IoUringDatagramChannel(family);
      default -> () -> new NioDatagramChannel(family);
    };
  }

  /** Sets SO_REUSEPORT on the listener (TCP) or the socket (UDP), the transport's way. */
  static void reusePort(AbstractBootstrap<?, ?> bootstrap, Transport transport) {
    switch (transport) {
      case EPOLL -> bootstrap.option(EpollChannelOption.SO_REUSEPORT, true);
      case IO_URING -> bootstrap.option(IoUringChannelOption.SO_REUSEPORT, true);
      default -> bootstrap.option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true);
    }
  }
}
