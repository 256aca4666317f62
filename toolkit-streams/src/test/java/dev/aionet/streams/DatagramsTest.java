package dev.aionet.streams;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aionet.core.Aio;
import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Datagrams#bind} and {@link Datagrams#connect}: addresses, who may send where, and the
 * programming errors refused at once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DatagramsTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static byte[] ascii(String s) {
    return s.getBytes(US_ASCII);
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.Loopbacks#transportsAndFamilies")
  void boundEndpointsExchangeDatagramsAndSeeEachOthersAddresses(Transport transport, String host) {
    try (TestLoop t = TestLoop.create(transport)) {
      DatagramEndpoint a = t.run(() -> Datagrams.bind(host, 0));
      DatagramEndpoint b = t.run(() -> Datagrams.bind(host, 0));
      assertThat(a.localAddress().getPort()).isPositive();
      assertThat(a.localAddress().getAddress()).isInstanceOf(host.contains(":") ? Inet6Address.class : Inet4Address.class);
      assertThat(a.remoteAddress()).isEmpty();
      a.send(ascii("ping"), b.localAddress());
      Datagram got = b.receive().join(WAIT);
      assertThat(got).isEqualTo(new Datagram(ascii("ping"), a.localAddress()));
      b.send(ascii("pong"), got.sender());
      assertThat(new String(a.receive().join(WAIT).data(), US_ASCII)).isEqualTo("pong");
      a.close();
      b.close();
      a.waitClosed().join(WAIT);
      b.waitClosed().join(WAIT);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.Loopbacks#transportsAndFamilies")
  void aConnectedEndpointSendsToItsRemoteAndReceivesOnlyFromIt(Transport transport, String host) {
    try (TestLoop t = TestLoop.create(transport)) {
      DatagramEndpoint server = t.run(() -> Datagrams.bind(host, 0));
      DatagramEndpoint stranger = t.run(() -> Datagrams.bind(host, 0));
      DatagramEndpoint client = t.run(() -> Datagrams.connect(host, server.localAddress().getPort()));
      assertThat(client.remoteAddress()).contains(server.localAddress());
      assertThat(client.localAddress().getPort()).isPositive();

      client.send(ascii("hello"));
      Datagram hello = server.receive().join(WAIT);
      assertThat(hello.sender()).isEqualTo(client.localAddress());
      stranger.send(ascii("not for you"), hello.sender()); // the kernel filters it out
      server.send(ascii("welcome"), hello.sender());
      Datagram welcome = client.receive().join(WAIT);
      assertThat(new String(welcome.data(), US_ASCII)).isEqualTo("welcome");
      assertThat(welcome.sender()).isEqualTo(server.localAddress());
      client.send(ascii("again"), server.localAddress()); // the remote address given explicitly is fine
      assertThat(new String(server.receive().join(WAIT).data(), US_ASCII)).isEqualTo("again");
      assertThat(client.dropped()).isZero();
      server.close();
      stranger.close();
      client.close();
    }
  }

  @Test
  void misuseIsRefusedAtOnce() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      DatagramEndpoint bound = t.run(() -> Datagrams.bind("127.0.0.1", 0,
          DatagramOptions.builder().maxDatagramSize(100).build()));
      DatagramEndpoint connected = t.run(() -> Datagrams.connect("127.0.0.1", bound.localAddress().getPort()));
      InetSocketAddress somewhere = new InetSocketAddress("127.0.0.1", 9);
      assertThatThrownBy(() -> bound.send(new byte[101], somewhere))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("101").hasMessageContaining("100");
      assertThatThrownBy(() -> bound.send(new byte[1])).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> bound.send(new byte[1], InetSocketAddress.createUnresolved("localhost", 9)))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> connected.send(new byte[1], somewhere)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> connected.send(new byte[DatagramOptions.MAX_IPV4_PAYLOAD + 1]))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> bound.send(null, somewhere)).isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> Datagrams.bind("127.0.0.1", 0)).as("off every loop")
          .isInstanceOf(IllegalStateException.class).hasMessage("no running event loop");
      assertThatThrownBy(() -> t.run(() -> Datagrams.bind("127.0.0.1", 65536)))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> DatagramOptions.builder().maxDatagramSize(0)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> DatagramOptions.builder().maxDatagramSize(65_528))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> DatagramOptions.builder().receiveQueue(0)).isInstanceOf(IllegalArgumentException.class);
      bound.close();
      connected.close();
    }
  }

  @Test
  void aSecondReceiveWhileOneIsPendingFailsWithIllegalStateAndTheFirstStillGetsItsDatagram() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      DatagramEndpoint e = t.run(() -> Datagrams.bind("127.0.0.1", 0));
      Promise<Datagram> first = e.receive();
      Promise<Datagram> second = e.receive();
      assertThatThrownBy(() -> second.join(WAIT)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("another receive() is pending");
      t.run(() -> Datagrams.bind("127.0.0.1", 0).thenApply(s -> {
        s.send(ascii("x"), e.localAddress());
        return s;
      })).close();
      assertThat(first.join(WAIT).data()).containsExactly('x');
      e.close();
    }
  }

  @Test
  void bindingAPortInUseFailsThePromiseWithBindException() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      DatagramEndpoint first = t.run(() -> Datagrams.bind("127.0.0.1", 0));
      int port = first.localAddress().getPort();
      assertThatThrownBy(() -> t.run(() -> Datagrams.bind("127.0.0.1", port))).isInstanceOf(CompletionException.class).hasCauseInstanceOf(BindException.class);
      first.close();
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void reusePortLetsTwoEndpointsShareAPort(Transport transport) {
    try (TestLoop t = TestLoop.create(transport)) {
      DatagramOptions shared = DatagramOptions.builder().reusePort(true).build();
      DatagramEndpoint first = t.run(() -> Datagrams.bind("127.0.0.1", 0, shared));
      DatagramEndpoint second = t.run(() -> Datagrams.bind("127.0.0.1", first.localAddress().getPort(), shared));
      assertThat(second.localAddress()).isEqualTo(first.localAddress());
      first.close();
      second.close();
    }
  }

  @Test
  void anUnknownHostFailsThePromise() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      assertThatThrownBy(() -> t.run(() -> Datagrams.connect("no-such-host.invalid", 53)))
          .isInstanceOf(CompletionException.class).hasCauseInstanceOf(UnknownHostException.class);
    }
  }

  @Test
  void aHostNameIsResolved() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      DatagramEndpoint e = t.run(() -> Datagrams.bind("localhost", 0));
      assertThat(e.localAddress().getAddress().isLoopbackAddress()).isTrue();
      e.close();
    }
  }

  @Test
  void sendsFromAnotherThreadAndAfterCloseNeverThrow() throws Exception {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      DatagramEndpoint a = t.run(() -> Datagrams.bind("127.0.0.1", 0));
      DatagramEndpoint b = t.run(() -> Datagrams.bind("127.0.0.1", 0));
      a.send(ascii("from the test thread"), b.localAddress());
      assertThat(new String(b.receive().join(WAIT).data(), US_ASCII)).isEqualTo("from the test thread");
      a.close();
      a.waitClosed().join(WAIT);
      a.send(ascii("dropped"), b.localAddress()); // asyncio: sendto on a closed transport is a no-op
      assertThat(a.drain().join(WAIT)).isNull();
      b.close();
    }
  }

  @Test
  void runsInsideAioRun() {
    String echoed = Aio.run(() -> Datagrams.bind("127.0.0.1", 0).thenCompose(a ->
        Datagrams.connect("127.0.0.1", a.localAddress().getPort()).thenCompose(c -> {
          c.send(ascii("hi"));
          return a.receive().thenApply(d -> {
            a.close();
            c.close();
            return new String(d.data(), US_ASCII);
          });
        })));
    assertThat(echoed).isEqualTo("hi");
  }
}
