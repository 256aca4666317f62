package dev.aionet.streams;

import java.net.InetSocketAddress;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** The cases every datagram test runs: each transport of this machine, over IPv4 and IPv6 loopback. */
final class Loopbacks {
  private Loopbacks() {}

  /** (Transport, loopback host) for NIO and epoll (where available), on 127.0.0.1 and ::1. */
  static Stream<Arguments> transportsAndFamilies() {
    return TestLoop.transports().flatMap(t -> Stream.of(Arguments.of(t, "127.0.0.1"), Arguments.of(t, "::1")));
  }

  /** {@code host:port} as an address. */
  static InetSocketAddress at(String host, int port) {
    return new InetSocketAddress(host, port);
  }
}
