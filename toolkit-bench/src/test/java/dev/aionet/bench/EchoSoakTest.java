package dev.aionet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** The CI soak: 10 s of the echo server under well-behaved and misbehaving clients. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EchoSoakTest {

  @Test
  void tenSecondsOfMixedClientsLoseNoByteAndLeaveNoConnectionOrMemoryBehind() throws Exception {
    EchoSoak soak = new EchoSoak();
    new CommandLine(soak).parseArgs("--seconds", "10");
    SoakReport report = soak.run();
    System.out.println(report);

    assertThat(report.failures()).as(report.toString()).isEmpty();
    assertThat(report.passed()).isTrue();
    assertThat(report.requests()).isPositive();
    assertThat(report.bytesVerified()).isGreaterThanOrEqualTo(report.requests());
    for (SoakClient.Fate fate : SoakClient.Fate.values()) {
      assertThat(report.connections(fate)).as(fate.label() + " connections").isPositive();
    }
  }

  @Test
  void aWrongByteOrAnOpenConnectionFailsTheRun() {
    SoakReport report = new SoakReport();
    report.request(10);
    assertThat(report.passed()).isTrue();
    report.failure("well-behaved client: wrong bytes in a 10-byte echo");
    report.connectionsLeft(2);
    report.rss(90 * 1024, 100 * 1024, 600 * 1024, 500 * 1024, 256 * 1024);
    assertThat(report.passed()).isFalse();
    assertThat(report.failures()).hasSize(3);
    assertThat(report.toString()).contains("result: FAIL").contains("RSS grew by 400 MiB");
  }
}
