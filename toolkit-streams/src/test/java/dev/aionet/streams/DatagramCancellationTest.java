package dev.aionet.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Aio;
import dev.aionet.core.AsyncTimeoutException;
import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A receive cancelled by a timeout never loses a datagram: 100,000 {@code waitFor(receive(), d)}
 * with {@code d} from 1 us to 1 ms, racing datagrams that arrive meanwhile, on the endpoint's own
 * loop thread and from another loop's thread (where the cancel and the delivery truly race).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DatagramCancellationTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int RACES = 100_000;
  /** Datagrams in flight or queued at most: the sender keeps ahead of the receiver by this many. */
  private static final int AHEAD = 4;

  static Stream<Arguments> cases() {
    return Loopbacks.transportsAndFamilies().flatMap(a -> Stream.of(
        Arguments.of(a.get()[0], a.get()[1], false), Arguments.of(a.get()[0], a.get()[1], true)));
  }

  /** 1 us to 1 ms, spread evenly on a log scale over each 100 races. */
  private static Duration delay(int race) {
    return Duration.ofNanos(Math.round(1_000 * Math.pow(1_000, (race % 100) / 99.0)));
  }

  private static byte[] seq(int n) {
    return ByteBuffer.allocate(4).putInt(n).array();
  }

  @ParameterizedTest(name = "{0} {1} from another thread: {2}")
  @MethodSource("cases")
  void timedOutReceivesLoseNoDatagramAionetHadReceived(Transport transport, String host, boolean otherThread) {
    try (TestLoop endpointLoop = TestLoop.create(transport); TestLoop raceLoop = TestLoop.create(transport)) {
      TestLoop racing = otherThread ? raceLoop : endpointLoop;
      DatagramEndpoint receiver = endpointLoop.run(() -> Datagrams.bind(host, 0));
      DatagramEndpoint sender = endpointLoop.run(() -> Datagrams.bind(host, 0));
      List<Integer> received = new ArrayList<>();
      int[] state = new int[3]; // races run, datagrams sent, timeouts
      racing.run(() -> Aio.repeatWhile(() -> {
        if (state[0]++ == RACES) {
          return Promise.completed(false);
        }
        if (state[1] - received.size() < AHEAD) {
          sender.send(seq(state[1]++), receiver.localAddress());
        }
        return Aio.waitFor(receiver.receive(), delay(state[0])).handle((d, error) -> {
          if (error == null) {
            received.add(ByteBuffer.wrap(d.data()).getInt());
          } else if (error instanceof AsyncTimeoutException) {
            state[2]++;
          } else {
            throw new AssertionError("receive failed", error);
          }
          return true;
        });
      }));
      while (received.size() < state[1]) {
        received.add(ByteBuffer.wrap(receiver.receive().join(WAIT).data()).getInt());
      }
      assertThat(state[2]).as("receives that timed out").isPositive();
      assertThat(state[1]).as("datagrams sent").isGreaterThan(RACES / 10);
      for (int i = 0; i < received.size(); i++) {
        if (received.get(i) != i) {
          throw new AssertionError("datagram " + i + " lost or out of order: got " + received.get(i)
              + " (" + state[2] + " timeouts)");
        }
      }
      assertThat(receiver.dropped()).isZero();
      receiver.close();
      sender.close();
    }
  }
}
