package dev.aionet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The UDP echo benchmark once, briefly, on each transport: a smoke test, never a speed test. */
@Timeout(120)
class UdpEchoBenchTest {

  @Test
  void everyServerEchoesAndEveryRowIsReported() throws Exception {
    for (String transport : new String[] {"nio", "auto"}) {
      PrintStream original = System.out;
      ByteArrayOutputStream captured = new ByteArrayOutputStream();
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      int status;
      try {
        status = new picocli.CommandLine(new UdpEchoBench()).execute("--transport", transport, "--rounds", "1",
            "--seconds", "0.3", "--warmup", "0.2", "--sizes", "64,1400");
      } finally {
        System.setOut(original);
      }
      String report = captured.toString(StandardCharsets.UTF_8);
      assertThat(status).as(report).isZero();
      for (String size : new String[] {"64 B", "1400 B"}) {
        for (String server : new String[] {"raw-netty", "raw-64k", "aionet"}) {
          assertThat(report).as(report).containsPattern(size + "\\s+" + server + "\\s+datagrams/s median\\s+[1-9]");
        }
      }
    }
  }
}
