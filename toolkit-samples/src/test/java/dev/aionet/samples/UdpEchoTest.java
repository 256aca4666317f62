package dev.aionet.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Loop;
import dev.aionet.core.Promise;
import dev.aionet.streams.DatagramEndpoint;
import dev.aionet.streams.Datagrams;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The UDP echo sample, in process: its server loop and its client's main. */
@Timeout(60)
class UdpEchoTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void theClientsMainPrintsEachEchoOfTheServer() throws Exception {
    try (Loop loop = Loop.create()) {
      DatagramEndpoint server = loop.runUntilComplete(() -> Datagrams.bind("127.0.0.1", 0));
      Promise<Void> serving = loop.submit(() -> UdpEcho.serve(server));
      List<String> lines = SampleOutput.linesOf(() -> UdpEcho.main("--client", "--port",
          String.valueOf(server.localAddress().getPort()), "--message", "Ciao, mondo!", "--count", "3"));
      assertThat(lines).containsExactly("Ciao, mondo!", "Ciao, mondo!", "Ciao, mondo!");
      server.close();
      serving.join(WAIT);
    }
  }

  @Test
  void echoOnceFailsWithPortUnreachableWhenNothingListens() {
    try (Loop loop = Loop.create()) {
      DatagramEndpoint gone = loop.runUntilComplete(() -> Datagrams.bind("127.0.0.1", 0));
      int port = gone.localAddress().getPort();
      gone.close();
      gone.waitClosed().join(WAIT);
      DatagramEndpoint client = loop.runUntilComplete(() -> Datagrams.connect("127.0.0.1", port));
      // ICMP errors are rate-limited machine-wide: a suppressed one is gone, so try a few times.
      Throwable error = null;
      for (int attempt = 0; attempt < 4 && !(error instanceof java.net.PortUnreachableException); attempt++) {
        error = loop.submit(() -> UdpEcho.echoOnce(client, "anyone?", Duration.ofSeconds(5))).handle((v, e) -> e)
            .join(WAIT);
      }
      assertThat(error).isInstanceOf(java.net.PortUnreachableException.class);
      client.close();
    }
  }
}
