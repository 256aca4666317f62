package dev.aionet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** OpenLoopLoad against the raw Netty echo server, in-process on 127.0.0.1: a smoke test, never a speed test. */
@Timeout(60)
class OpenLoopLoadTest extends AgainstRawNettyEcho {
  @Test
  void aFixedRateRunCountsEveryMeasuredRequestAndItsBytesExactly() {
    // 2,000 requests/s, one every 0.5 ms: requests 400 to 2,399 are meant to leave in the measured
    // second after 0.2 s of warm-up, and the server keeps up, so each of them is answered.
    String pid = String.valueOf(ProcessHandle.current().pid());
    OpenLoopReport report = OpenLoopLoad.parse("--port", port(), "-c", "4", "-s", "1000", "--rate", "2000",
        "-w", "0.2", "-d", "1", "--server-pid", pid).run();
    EchoReport echo = report.echo();

    assertThat(echo.errors()).as("errors: %s", echo.errorMessages()).isZero();
    assertThat(report.scheduled()).isEqualTo(2_000);
    assertThat(echo.requests()).isEqualTo(2_000);
    assertThat(echo.bytes()).isEqualTo(2_000L * 1_000);
    assertThat(echo.latencyNanos().getTotalCount()).isEqualTo(2_000);
    assertThat(echo.latencyMicros(50)).isPositive();
    assertThat(echo.seconds()).isBetween(1.0, 10.0);
    assertThat(echo.serverCpuMicrosPerRequest()).isPositive();
    assertThat(report.toString()).contains("RESULT mode=openloop connections=4 size=1000 ")
        .contains(" errors=0 target=2000.0 scheduled=2000 late=");
  }

  @Test
  void requestsLargerThanTheSocketBuffersAreStillCountedExactly() {
    // 256 KiB requests cannot be written at once: the rest leaves when the socket is writable.
    OpenLoopReport report = OpenLoopLoad.parse("--port", port(), "-c", "2", "-s", "262144", "--rate", "100",
        "-w", "0", "-d", "0.2").run();

    assertThat(report.echo().errors()).as("errors: %s", report.echo().errorMessages()).isZero();
    assertThat(report.scheduled()).isEqualTo(20);
    assertThat(report.echo().bytes()).isEqualTo(20L * 262_144);
  }

  @Test
  void aCorruptedEchoIsAnErrorAndTheExitCodeIsNonZero() throws Exception {
    try (CorruptEchoServer corrupt = new CorruptEchoServer()) {
      ByteArrayOutputStream printed = new ByteArrayOutputStream();

      int exitCode = OpenLoopLoad.parse("--port", String.valueOf(corrupt.port()), "-c", "1", "-s", "1000",
          "--rate", "1000", "-w", "0", "-d", "1")
          .printingTo(new PrintStream(printed, true, StandardCharsets.UTF_8))
          .call();

      assertThat(exitCode).isEqualTo(1);
      assertThat(printed.toString(StandardCharsets.UTF_8)).contains("connection 0, request 4, byte 999: expected")
          .contains("errors=1");
    }
  }

  @Test
  void aRefusedConnectionIsAnError() throws Exception {
    int freePort = freePort();

    OpenLoopReport report = OpenLoopLoad.parse("--port", String.valueOf(freePort), "-w", "0", "-d", "1").run();

    assertThat(report.echo().errors()).isPositive();
    assertThat(report.echo().errorMessages().get(0)).contains("connect to 127.0.0.1:" + freePort + " failed");
  }
}
