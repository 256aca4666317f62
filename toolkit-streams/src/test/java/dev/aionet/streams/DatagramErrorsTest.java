package dev.aionet.streams;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.AsyncTimeoutException;
import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import java.net.PortUnreachableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the socket reports (an ICMP error) and what closing does to receives and buffers. Every
 * test here also runs under the PARANOID leak detector, which fails the class on a leaked buffer.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DatagramErrorsTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static byte[] ascii(String s) {
    return s.getBytes(US_ASCII);
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.Loopbacks#transportsAndFamilies")
  void aClosedPortFailsTheNextReceiveOnceWithPortUnreachableAndTheEndpointKeepsWorking(Transport transport, String host) {
    try (TestLoop t = TestLoop.create(transport)) {
      DatagramEndpoint gone = t.run(() -> Datagrams.bind(host, 0));
      int port = gone.localAddress().getPort();
      gone.close();
      gone.waitClosed().join(WAIT);
      DatagramEndpoint client = t.run(() -> Datagrams.connect(host, port));
      Promise<Datagram> pending = client.receive();
      // asyncio: protocol.error_received(ConnectionRefusedError) and the transport stays open
      assertThat(sendUntilSettled(client, pending).exception()).isInstanceOf(PortUnreachableException.class);

      DatagramEndpoint back = t.run(() -> Datagrams.bind(host, port));
      Promise<Datagram> next = client.receive();
      client.send(ascii("now?"));
      Datagram now = back.receive().join(WAIT);
      assertThat(now.data()).isEqualTo(ascii("now?"));
      back.send(ascii("yes"), now.sender());
      assertThat(next.join(WAIT).data()).as("the error came once").isEqualTo(ascii("yes"));
      client.close();
      back.close();
    }
  }

  /**
   * Sends to a closed port until {@code pending} settles. The kernel may not answer the first
   * datagram: ICMP errors have a machine-wide rate limit that other programs' traffic can use up,
   * and a suppressed error is gone for good, so one resend after 5 s cannot make a second error.
   */
  static <T> Promise<T> sendUntilSettled(DatagramEndpoint client, Promise<T> pending) {
    for (int attempt = 0; attempt < 4 && !pending.isDone(); attempt++) {
      client.send(ascii("anyone?"));
      try {
        pending.join(Duration.ofSeconds(5));
      } catch (AsyncTimeoutException stillPending) {
        continue; // the ICMP error was suppressed: send again
      } catch (RuntimeException settled) {
        break;
      }
    }
    assertThat(pending.isDone()).as("the OS reported the closed port").isTrue();
    return pending;
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.Loopbacks#transportsAndFamilies")
  void closeEndsAPendingReceiveWithNullAndEveryLaterOne(Transport transport, String host) {
    try (TestLoop t = TestLoop.create(transport)) {
      DatagramEndpoint e = t.run(() -> Datagrams.bind(host, 0));
      Promise<Datagram> pending = e.receive();
      e.close(); // from the test thread, off the loop
      assertThat(pending.join(WAIT)).isNull();
      assertThat(e.receive().join(WAIT)).isNull();
      assertThat(t.run(e::receive)).isNull();
      e.waitClosed().join(WAIT);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.Loopbacks#transportsAndFamilies")
  void closeDiscardsQueuedDatagramsAndUnsentOnesWithoutLeaking(Transport transport, String host) {
    try (TestLoop t = TestLoop.create(transport)) {
      DatagramEndpoint receiver = t.run(() -> Datagrams.bind(host, 0));
      DatagramEndpoint sender = t.run(() -> Datagrams.bind(host, 0));
      for (int i = 0; i < 10; i++) {
        sender.send(new byte[1000], receiver.localAddress());
      }
      assertThat(receiver.receive().join(WAIT).data()).hasSize(1000); // at least one arrived; more wait
      // Sends queued in this very turn, then the close: Netty releases what it never sent.
      List<Promise<Void>> closed = new ArrayList<>();
      t.run(() -> {
        for (int i = 0; i < 100; i++) {
          sender.send(new byte[2000], receiver.localAddress());
        }
        sender.close();
        receiver.close();
        closed.add(sender.waitClosed());
        closed.add(receiver.waitClosed());
        return Promise.completed(null);
      });
      closed.forEach(p -> p.join(WAIT));
      assertThat(receiver.receive().join(WAIT)).as("queued datagrams went with the close").isNull();
    }
  }
}
