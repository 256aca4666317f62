package dev.aionet.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Transport;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Datagrams arrive whole or not at all: Netty's default 2,048-byte receive buffer would cut the
 * larger ones short without a word (netty#7372).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DatagramSizeTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int[] SIZES = {1, 1_400, 2_049, 9_000, 65_507};

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.Loopbacks#transportsAndFamilies")
  void datagramsUpToTheIpv4MaximumArriveByteExactWithTheDefaultOptions(Transport transport, String host) {
    try (TestLoop t = TestLoop.create(transport)) {
      DatagramEndpoint server = t.run(() -> Datagrams.bind(host, 0));
      DatagramEndpoint client = t.run(() -> Datagrams.connect(host, server.localAddress().getPort()));
      for (int size : SIZES) {
        byte[] sent = random(size, size);
        client.send(sent);
        Datagram got = server.receive().join(WAIT);
        assertThat(got.data()).as("%d bytes", size).isEqualTo(sent);
        server.send(got.data(), got.sender());
        assertThat(client.receive().join(WAIT).data()).as("%d bytes echoed", size).isEqualTo(sent);
      }
      assertThat(server.dropped()).isZero();
      assertThat(client.dropped()).isZero();
      server.close();
      client.close();
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.Loopbacks#transportsAndFamilies")
  void aDatagramLongerThanMaxDatagramSizeIsDroppedAndCountedNeverTruncated(Transport transport, String host) {
    try (TestLoop t = TestLoop.create(transport)) {
      DatagramEndpoint small = t.run(() -> Datagrams.bind(host, 0, DatagramOptions.builder().maxDatagramSize(1000).build()));
      DatagramEndpoint sender = t.run(() -> Datagrams.bind(host, 0));
      sender.send(random(1001, 1), small.localAddress());
      sender.send(random(5000, 2), small.localAddress());
      byte[] fits = random(1000, 3);
      sender.send(fits, small.localAddress());
      assertThat(small.receive().join(WAIT).data()).isEqualTo(fits);
      assertThat(small.dropped()).isEqualTo(2);
      small.close();
      sender.close();
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void anIpv6DatagramLongerThanTheIpv4MaximumIsDroppedByADefaultEndpointAndWholeForALargerOne(Transport transport) {
    try (TestLoop t = TestLoop.create(transport)) {
      DatagramOptions ipv6Max = DatagramOptions.builder().maxDatagramSize(DatagramOptions.MAX_IPV6_PAYLOAD).build();
      DatagramEndpoint byDefault = t.run(() -> Datagrams.bind("::1", 0));
      DatagramEndpoint large = t.run(() -> Datagrams.bind("::1", 0, ipv6Max));
      DatagramEndpoint sender = t.run(() -> Datagrams.bind("::1", 0, ipv6Max));
      byte[] jumbo = random(DatagramOptions.MAX_IPV6_PAYLOAD, 4);
      byte[] fits = random(10, 5);
      sender.send(jumbo, byDefault.localAddress());
      sender.send(fits, byDefault.localAddress());
      sender.send(jumbo, large.localAddress());
      assertThat(byDefault.receive().join(WAIT).data()).isEqualTo(fits);
      assertThat(byDefault.dropped()).isEqualTo(1);
      assertThat(large.receive().join(WAIT).data()).isEqualTo(jumbo);
      assertThat(large.dropped()).isZero();
      byDefault.close();
      large.close();
      sender.close();
    }
  }
}
