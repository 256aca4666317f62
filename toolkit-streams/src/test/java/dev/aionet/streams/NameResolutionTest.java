package dev.aionet.streams;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aionet.core.Aio;
import dev.aionet.core.Loop;
import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * FAULTS F18: host names are resolved without blocking a loop thread (asyncio runs getaddrinfo
 * in an executor; aionet asks Netty's asynchronous DNS resolver). A DNS server that takes 2 s
 * to answer leaves the same loop thread serving echo traffic meanwhile; an unknown host fails
 * with {@link UnknownHostException} naming it, for a connection, a listener and a datagram
 * endpoint alike.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NameResolutionTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration SLOW = Duration.ofSeconds(2);
  private static final byte[] LOOPBACK = {127, 0, 0, 1};

  private static Class<? extends DatagramChannel> datagrams(Transport transport) {
    return transport == Transport.EPOLL ? EpollDatagramChannel.class : NioDatagramChannel.class;
  }

  /** Echo round trips on {@code c} until {@code until} is done; returns the longest gap, in ms. */
  private static Promise<long[]> echoUntil(Connection c, Promise<?> until) {
    long[] roundTripsAndLongestGapMillis = {0, 0};
    long[] last = {System.nanoTime()};
    return Aio.repeatWhile(() -> {
      c.writer().write("ping\n", US_ASCII);
      return c.reader().readLine().thenApply(line -> {
        long now = System.nanoTime();
        roundTripsAndLongestGapMillis[0]++;
        roundTripsAndLongestGapMillis[1] = Math.max(roundTripsAndLongestGapMillis[1], (now - last[0]) / 1_000_000);
        last[0] = now;
        return !until.isDone();
      });
    }).thenApply(x -> roundTripsAndLongestGapMillis);
  }

  /**
   * A DNS server that answers {@code slow.test} after 2 s, a one-thread loop, and an echo
   * connection on it that must keep being served while a lookup waits.
   */
  private static final class SlowDns implements AutoCloseable {
    final FakeDnsServer dns = new FakeDnsServer(Map.of("slow.test", new FakeDnsServer.Entry(LOOPBACK, SLOW)));
    final DnsAddressResolverGroup resolver;
    final TestLoop t;
    final Server server;
    final Connection busy;

    SlowDns(Transport transport) throws Exception {
      resolver = dns.resolver(datagrams(transport));
      t = TestLoop.create(transport); // one thread: the echo and the lookup share it
      server = t.run(() -> Streams.startServer(Echo::echo, "127.0.0.1", 0));
      busy = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
    }

    /** Starts {@code lookup} on the loop, echoes on {@code busy} until it is done, checks the echo never stalled. */
    <T> T servedWhile(Supplier<Promise<T>> lookup) {
      Promise<T> slow = t.run(() -> Promise.completed(lookup.get()));
      long[] served = t.run(() -> echoUntil(busy, slow));
      T result = slow.join(WAIT);
      assertThat(served[0]).as("echo round trips on the same thread while the lookup waited").isGreaterThan(20);
      assertThat(served[1]).as("the longest pause between two round trips, ms").isLessThan(1000);
      return result;
    }

    @Override
    public void close() throws Exception {
      busy.writer().close();
      server.shutdown(WAIT).join(WAIT);
      t.close();
      resolver.close();
      dns.close();
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aConnectWaitingTwoSecondsForDnsLeavesItsLoopThreadServing(Transport transport) throws Exception {
    try (SlowDns slow = new SlowDns(transport)) {
      long start = System.nanoTime();
      Connection resolved = slow.servedWhile(() -> Streams.openConnection("slow.test", slow.server.port(),
          ClientOptions.builder().resolver(slow.resolver).build()));
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(took).as("the DNS answer took its 2 s").isGreaterThanOrEqualTo(SLOW.minusMillis(100));
      resolved.writer().write("hello\n", US_ASCII);
      assertThat(resolved.reader().readLine().join(WAIT)).isEqualTo("hello\n".getBytes(US_ASCII));
      resolved.writer().close();
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aListenerWaitingTwoSecondsForDnsLeavesItsLoopThreadServing(Transport transport) throws Exception {
    try (SlowDns slow = new SlowDns(transport)) {
      Server second = slow.servedWhile(() -> Streams.startServer(Echo::echo, "slow.test", 0,
          ServerOptions.builder().resolver(slow.resolver).build()));

      assertThat(second.sockets()).singleElement()
          .satisfies(a -> assertThat(((InetSocketAddress) a).getAddress().getAddress()).isEqualTo(LOOPBACK));
      second.shutdown(WAIT).join(WAIT);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aDatagramEndpointWaitingTwoSecondsForDnsLeavesItsLoopThreadServing(Transport transport) throws Exception {
    try (SlowDns slow = new SlowDns(transport)) {
      DatagramEndpoint peer = slow.t.run(() -> Datagrams.bind("127.0.0.1", 0));
      DatagramEndpoint connected = slow.servedWhile(() -> Datagrams.connect("slow.test",
          peer.localAddress().getPort(), DatagramOptions.builder().resolver(slow.resolver).build()));

      assertThat(connected.remoteAddress()).hasValueSatisfying(
          a -> assertThat(a.getAddress().getAddress()).isEqualTo(LOOPBACK));
      connected.send("to the resolved address".getBytes(US_ASCII));
      assertThat(new String(peer.receive().join(WAIT).data(), US_ASCII)).isEqualTo("to the resolved address");
      connected.close();
      peer.close();
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void anUnknownHostFailsWithUnknownHostExceptionNamingIt(Transport transport) throws Exception {
    try (FakeDnsServer dns = new FakeDnsServer(Map.of());
        DnsAddressResolverGroup resolver = dns.resolver(datagrams(transport));
        TestLoop t = TestLoop.create(transport)) {
      assertThatThrownBy(() -> t.run(() -> Streams.openConnection("no.such.host", 80,
          ClientOptions.builder().resolver(resolver).build())))
          .isInstanceOf(java.util.concurrent.CompletionException.class)
          .cause().isInstanceOf(UnknownHostException.class).hasMessageContaining("no.such.host");
      assertThatThrownBy(() -> t.run(() -> Streams.startServer(Echo::echo, "no.such.host", 0,
          ServerOptions.builder().resolver(resolver).build())))
          .cause().isInstanceOf(UnknownHostException.class).hasMessageContaining("no.such.host");
      assertThatThrownBy(() -> t.run(() -> Datagrams.bind("no.such.host", 0,
          DatagramOptions.builder().resolver(resolver).build())))
          .cause().isInstanceOf(UnknownHostException.class).hasMessageContaining("no.such.host");
    }
  }

  @Test
  void theDefaultResolverReadsTheHostsFileAndFailsAnUnknownHostNamingIt() throws Exception {
    // RFC 6761: names under .invalid never resolve, so any DNS server answers NXDOMAIN.
    try (Loop loop = Loop.create()) {
      Server server = loop.runUntilComplete(() -> Streams.startServer(Echo::echo, "localhost", 0));
      Connection c = loop.runUntilComplete(() -> Streams.openConnection("localhost", server.port()));
      c.writer().write("hosts\n", US_ASCII);
      assertThat(c.reader().readLine().join(WAIT)).isEqualTo("hosts\n".getBytes(US_ASCII));
      c.writer().close();
      assertThatThrownBy(() -> loop.runUntilComplete(() -> Streams.openConnection("no-such-host.invalid", 80)))
          .cause().isInstanceOf(UnknownHostException.class).hasMessageContaining("no-such-host.invalid");
      assertThatThrownBy(() -> loop.runUntilComplete(() -> Streams.startServer(Echo::echo, "no-such-host.invalid", 0)))
          .cause().isInstanceOf(UnknownHostException.class).hasMessageContaining("no-such-host.invalid");
      loop.runUntilComplete(() -> server.shutdown(WAIT));
    }
  }
}
