package dev.aionet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.bench.AionetEchoServer.Mode;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** EchoLoad against each aionet echo server, in-process on 127.0.0.1: a smoke test, never a speed test. */
@Timeout(60)
class AionetEchoServerTest {

  @ParameterizedTest(name = "{0} read({1})")
  @CsvSource({"BYTES, 65536", "BYTES, 100", "ZEROCOPY, 65536"})
  void pingPongEchoesEveryByteWithoutErrors(Mode mode, int readSize) {
    try (AionetEchoServer server = AionetEchoServer.start("127.0.0.1", 0, 1, "auto", mode, readSize)) {
      EchoReport report = EchoLoad.parse("--port", String.valueOf(server.port()), "-c", "4", "-s", "1024",
          "-w", "0.3", "-d", "2").run();

      assertThat(report.errors()).as("errors: %s", report.errorMessages()).isZero();
      assertThat(report.requests()).isPositive();
      assertThat(report.bytes()).isEqualTo(report.requests() * 1024);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"BYTES", "ZEROCOPY"})
  void streamingKeepsBytesInFlightAndChecksThemAll(Mode mode) {
    try (AionetEchoServer server = AionetEchoServer.start("127.0.0.1", 0, 1, "auto", mode, 65_536)) {
      EchoReport report = EchoLoad.parse("--port", String.valueOf(server.port()), "--mode", "stream", "-c", "2",
          "-s", "16384", "--in-flight", "262144", "-w", "0.3", "-d", "2").run();

      assertThat(report.errors()).as("errors: %s", report.errorMessages()).isZero();
      assertThat(report.bytes()).isGreaterThan(262_144);
    }
  }
}
