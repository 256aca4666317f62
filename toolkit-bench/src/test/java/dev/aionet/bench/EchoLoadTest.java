package dev.aionet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** EchoLoad against the raw Netty echo server, in-process on 127.0.0.1: a smoke test, never a speed test. */
@Timeout(60)
class EchoLoadTest extends AgainstRawNettyEcho {
  @Test
  void pingPongAgainstTheRawNettyServerEchoesEveryByteWithoutErrors() {
    // The server runs in this JVM: its CPU time is this process's.
    String pid = String.valueOf(ProcessHandle.current().pid());
    EchoReport report = EchoLoad.parse("--port", port(), "-c", "4", "-s", "1024", "-w", "0.3", "-d", "2",
        "--server-pid", pid).run();

    assertThat(report.errors()).as("errors: %s", report.errorMessages()).isZero();
    assertThat(report.requests()).isPositive();
    assertThat(report.bytes()).isEqualTo(report.requests() * 1024);
    assertThat(report.latencyNanos().getTotalCount()).isEqualTo(report.requests());
    assertThat(report.latencyMicros(99)).isPositive();
    assertThat(report.seconds()).isBetween(1.9, 10.0);
    assertThat(report.serverCpuSeconds()).isPositive();
    assertThat(report.serverCpuMicrosPerRequest()).isPositive();
    assertThat(report.toString()).contains("RESULT mode=pingpong connections=4 size=1024").contains("errors=0");
  }

  @Test
  void streamingKeepsBytesInFlightAndChecksThemAll() {
    EchoReport report = EchoLoad.parse("--port", port(), "--mode", "stream", "-c", "2", "-s", "4096",
        "--in-flight", "65536", "-w", "0.2", "-d", "1").run();

    assertThat(report.errors()).as("errors: %s", report.errorMessages()).isZero();
    assertThat(report.bytes()).isGreaterThan(65_536);
    assertThat(report.requests()).isBetween(report.bytes() / 4096 - 2, report.bytes() / 4096 + 2);
  }

  @Test
  void idleModeHoldsEveryConnectionAndSaysWhenTheyAreOpen() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    EchoReport report = EchoLoad.parse("--port", port(), "--mode", "idle", "-c", "200", "-s", "16", "-d", "0.5")
        .printingTo(new PrintStream(printed, true, StandardCharsets.UTF_8))
        .run();

    assertThat(report.errors()).as("errors: %s", report.errorMessages()).isZero();
    assertThat(report.requests()).isEqualTo(200);
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("READY idle connections=200");
  }

  @Test
  void aCorruptedEchoIsAnErrorAndTheExitCodeIsNonZero() throws Exception {
    // An echo server that flips one byte in every 5000: EchoLoad must notice.
    try (CorruptEchoServer corrupt = new CorruptEchoServer()) {
      ByteArrayOutputStream printed = new ByteArrayOutputStream();

      int exitCode = EchoLoad.parse("--port", String.valueOf(corrupt.port()), "-s", "1000", "-w", "0", "-d", "5")
          .printingTo(new PrintStream(printed, true, StandardCharsets.UTF_8))
          .call();

      assertThat(exitCode).isEqualTo(1);
      assertThat(printed.toString(StandardCharsets.UTF_8)).contains("connection 0, request 4, byte 999: expected").contains("errors=1");
    }
  }

  @Test
  void aRefusedConnectionIsAnError() throws Exception {
    int freePort = freePort();

    EchoReport report = EchoLoad.parse("--port", String.valueOf(freePort), "-w", "0", "-d", "1").run();

    assertThat(report.errors()).isPositive();
    assertThat(report.errorMessages().get(0)).contains("connect to 127.0.0.1:" + freePort + " failed");
  }
}
