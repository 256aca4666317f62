package dev.aionet.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The command-line samples report errors alike: a bad argument is one line naming its flag and
 * exit status 2; a failure while running (a refused connection) is one line and status 1, never
 * a stack trace. (EchoServerJarIT checks the same of the echo server's jar.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CommandLineErrorsTest {
  private record Outcome(int status, List<String> stderr) {}

  private static Outcome run(String name, Callable<Integer> command, String... args) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      int status = Cli.run(name, command, args);
      return new Outcome(status, captured.toString(StandardCharsets.UTF_8).lines().toList());
    } finally {
      System.setErr(original);
    }
  }

  @ParameterizedTest
  @CsvSource({"--port, 99999", "--port, abc", "--port, 0", "--count, 0", "--concurrency, -1"})
  void anEchoClientArgumentOutOfRangeIsOneLineNamingTheFlagAndStatus2(String flag, String value) {
    Outcome o = run("echo-client", new EchoClient(), flag, value, "--message", "hi");
    assertThat(o.status()).isEqualTo(2);
    assertThat(o.stderr()).singleElement().asString().startsWith("echo-client: ").contains(flag, value);
  }

  @ParameterizedTest
  @CsvSource({"--port, 99999", "--port, abc", "--idle-timeout, 0"})
  void aChatServerArgumentOutOfRangeIsOneLineNamingTheFlagAndStatus2(String flag, String value) {
    Outcome o = run("chat-server", new ChatServer(), flag, value);
    assertThat(o.status()).isEqualTo(2);
    assertThat(o.stderr()).singleElement().asString().startsWith("chat-server: ").contains(flag, value);
  }

  @ParameterizedTest
  @CsvSource({"--threads, 0", "--port, -1", "--grace, -1", "--read-size, 0", "--max-connections, -5"})
  void anEchoServerArgumentOutOfRangeIsOneLineNamingTheFlagAndStatus2(String flag, String value) {
    Outcome o = run("echo-server", new EchoServer(), flag, value);
    assertThat(o.status()).isEqualTo(2);
    assertThat(o.stderr()).singleElement().asString().startsWith("echo-server: ").contains(flag, value);
  }

  @picocli.CommandLine.Command(name = "interrupted")
  static final class Interrupted implements Callable<Integer> {
    @picocli.CommandLine.Option(names = "--signal")
    String signal;

    @Override
    public Integer call() {
      throw new dev.aionet.core.CancelledException("interrupted by SIG" + signal); // as runUntilComplete on Ctrl-C
    }
  }

  @ParameterizedTest
  @CsvSource({"INT, 130", "TERM, 143"})
  void aSampleInterruptedByASignalEndsQuietlyWithTheSignalsStatus(String signal, int status) {
    Outcome o = run("interrupted", new Interrupted(), "--signal", signal);
    assertThat(o.status()).isEqualTo(status);
    assertThat(o.stderr()).isEmpty();
  }

  @Test
  void aRefusedConnectionIsOneLineAndStatus1() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = s.getLocalPort();
    }
    Outcome o = run("echo-client", new EchoClient(), "--port", String.valueOf(closedPort), "--message", "hi");
    assertThat(o.status()).isEqualTo(1);
    assertThat(o.stderr()).singleElement().asString()
        .startsWith("echo-client: cannot connect to 127.0.0.1:" + closedPort + ": ")
        .containsIgnoringCase("connection refused");
  }
}
