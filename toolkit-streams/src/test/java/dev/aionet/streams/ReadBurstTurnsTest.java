package dev.aionet.streams;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Aio;
import dev.aionet.core.LoopOptions;
import dev.aionet.core.LoopStats;
import dev.aionet.core.Promise;
import dev.aionet.core.ThrowingConsumer;
import dev.aionet.core.Transport;
import dev.aionet.testing.RecordingLoop;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A connection's read burst is a loop turn in {@code Loop.stats()}, with the handler code it
 * resumes inline: a handler that holds the loop thread for 700 ms right after a read (with a
 * {@code slowCallbackDuration} of 500 ms, so that no other turn of a loaded machine counts) shows
 * as exactly one slow turn, on byte streams, on message connections and on datagram endpoints
 * alike.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReadBurstTurnsTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration SLOW = Duration.ofMillis(500);
  private static final Duration BUSY = Duration.ofMillis(700);

  /** Deliberately holds the loop thread (what the stats must show) if {@code line} asks for it. */
  private static void busyIfAsked(String line) {
    if (!line.equals("busy")) {
      return;
    }
    long end = System.nanoTime() + BUSY.toNanos();
    while (System.nanoTime() < end) {
      Thread.onSpinWait();
    }
  }

  static Stream<Arguments> transportsAndKinds() {
    return TestLoop.transports().flatMap(t -> Stream.of(Arguments.of(t, "bytes"), Arguments.of(t, "messages")));
  }

  /** Reads one line, holds the loop thread inside the read that delivered it if asked, answers "done". */
  private static Server startBusyServer(RecordingLoop t, String kind) {
    return t.loop().runUntilComplete(() -> kind.equals("bytes")
        ? Streams.startServer((reader, writer) -> reader.readLine().thenCompose(line -> {
          busyIfAsked(new String(line, UTF_8).strip());
          return writer.writeAndDrain("done\n".getBytes(UTF_8));
        }), "127.0.0.1", 0)
        : Messages.startServer((MessageReader<String> reader, MessageWriter<String> writer) ->
            reader.read().thenCompose(line -> {
              busyIfAsked(line);
              return writer.writeAndDrain("done");
            }), Codec.lines(100), "127.0.0.1", 0));
  }

  private static void ask(Server server, String line) throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout((int) WAIT.toMillis());
      s.getOutputStream().write((line + "\n").getBytes(UTF_8));
      assertThat(new BufferedReader(new InputStreamReader(s.getInputStream(), UTF_8)).readLine()).isEqualTo("done");
    }
  }

  private static RecordingLoop slowAfter500Ms(Transport transport) {
    return new RecordingLoop(LoopOptions.builder().transport(transport).debug(false).slowCallbackDuration(SLOW).build());
  }

  /** Asks twice ("warm": the first use loads classes, which may take a slow turn of its own; then "busy"). */
  private static void assertOneSlowTurnFor(RecordingLoop t, ThrowingConsumer<String> ask) throws Exception {
    ask.accept("warm");
    t.loop().runUntilComplete(() -> Promise.completed(null));
    LoopStats before = t.loop().stats();
    ask.accept("busy");
    t.loop().runUntilComplete(() -> Promise.completed(null)); // a later turn: the burst has ended
    LoopStats after = t.loop().stats();
    assertThat(after.slowTurns() - before.slowTurns()).as("slow turns; %s", after).isEqualTo(1);
    assertThat(after.maxTurnNanos()).isGreaterThanOrEqualTo(BUSY.toNanos());
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("transportsAndKinds")
  void aHandlerHeldUpInsideAReadBurstCountsOneSlowTurn(Transport transport, String kind) throws Exception {
    try (RecordingLoop t = slowAfter500Ms(transport)) {
      Server server = startBusyServer(t, kind);
      assertOneSlowTurnFor(t, line -> ask(server, line));
      server.shutdown(WAIT).join(WAIT);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aReceiverHeldUpInsideADatagramReadBurstCountsOneSlowTurn(Transport transport) throws Exception {
    try (RecordingLoop t = slowAfter500Ms(transport);
        DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      client.setSoTimeout((int) WAIT.toMillis());
      DatagramEndpoint endpoint = t.loop().runUntilComplete(() -> Datagrams.bind("127.0.0.1", 0));
      t.loop().submit(() -> Aio.repeatWhile(() -> endpoint.receive().thenApply(d -> {
        if (d == null) {
          return false;
        }
        busyIfAsked(new String(d.data(), UTF_8));
        endpoint.send("done".getBytes(UTF_8), d.sender());
        return true;
      })));
      assertOneSlowTurnFor(t, line -> {
        byte[] ask = line.getBytes(UTF_8);
        client.send(new DatagramPacket(ask, ask.length, endpoint.localAddress()));
        DatagramPacket answer = new DatagramPacket(new byte[16], 16);
        client.receive(answer);
        assertThat(new String(answer.getData(), 0, answer.getLength(), UTF_8)).isEqualTo("done");
      });
      endpoint.close();
    }
  }
}
