package dev.aionet.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The newcomer's first contact, end to end: java -jar echo-server.jar, as its own process. */
@Timeout(60)
class EchoServerJarIT {
  private static final Path JAR = EchoServerJar.JAR;
  private static final Pattern LISTENING = EchoServerJar.LISTENING;

  private static Process start(String... args) throws Exception {
    return EchoServerJar.start(java.util.List.of(), args);
  }

  private static String nextLine(BufferedReader out) throws java.io.IOException {
    return EchoServerJar.nextLine(out);
  }

  /** The port of the process's "listening on" line. */
  private static int listeningPort(Process server) throws java.io.IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    String line = nextLine(out);
    Matcher m = LISTENING.matcher(String.valueOf(line));
    assertThat(m.find()).as("listening line: %s", line).isTrue();
    return Integer.parseInt(m.group(1));
  }

  private static String outputOf(Process p) throws java.io.IOException {
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
        .filter(l -> !l.startsWith("WARNING: ")).collect(java.util.stream.Collectors.joining("\n")).strip();
  }

  @Test
  void theJarEchoesEveryByteAndExitsWithZeroOnSigterm() throws Exception {
    Process server = start("--port", "0", "--threads", "1", "--read-size", "100", "--grace", "1");
    try {
      int port = listeningPort(server);

      byte[] payload = new byte[256 * 1024];
      new Random(42).nextBytes(payload);
      try (Socket client = new Socket("127.0.0.1", port)) {
        OutputStream o = client.getOutputStream();
        DataInputStream in = new DataInputStream(client.getInputStream());
        Thread writer = new Thread(() -> {
          try {
            o.write(payload);
            o.flush();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        writer.start();
        byte[] back = new byte[payload.length];
        in.readFully(back);
        writer.join();
        assertThat(back).isEqualTo(payload);
      }

      server.destroy(); // SIGTERM
      assertThat(server.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(server.exitValue()).isZero();
    } finally {
      server.destroyForcibly();
    }
  }

  /**
   * SIGTERM while a client that wrote 8 MiB through a 64 KiB receive buffer is not reading, so the
   * server holds megabytes it read and has not sent back: the client still gets every byte back,
   * then EOF, and the process exits with 0 within its grace period.
   */
  @Test
  void sigtermLosesNoByteTheServerHasReadAndExitsWithZeroWithinTheGrace() throws Exception {
    Process server = start("--port", "0", "--threads", "1", "--grace", "5");
    try {
      int port = listeningPort(server);

      byte[] payload = new byte[8 << 20];
      new Random(7).nextBytes(payload);
      try (Socket client = new Socket()) {
        client.setReceiveBufferSize(64 * 1024);
        client.connect(new java.net.InetSocketAddress("127.0.0.1", port));
        OutputStream o = client.getOutputStream();
        java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.CompletableFuture<Throwable> sent = new java.util.concurrent.CompletableFuture<>();
        Thread writer = new Thread(() -> {
          try {
            for (int off = 0; off < payload.length; off += 64 * 1024) {
              o.write(payload, off, 64 * 1024);
              written.addAndGet(64 * 1024);
            }
            client.shutdownOutput();
            sent.complete(null);
          } catch (Exception e) {
            sent.complete(e);
          }
        });
        writer.setDaemon(true);
        writer.start();
        // Wait until every buffer on the way is full: the writer has stopped making progress.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long last = -1;
        while (written.get() != last && !sent.isDone() && System.nanoTime() < deadline) {
          last = written.get();
          Thread.sleep(500); // polling the writer's progress, with a deadline
        }
        // Measured here: 3.7-3.9 MiB stuck on the way (client send buffer, server read, server send buffer).
        assertThat(written.get()).as("the client wrote at least 2 MiB before SIGTERM").isGreaterThanOrEqualTo(2 << 20);

        long signalled = System.nanoTime();
        server.destroy(); // SIGTERM
        byte[] back = client.getInputStream().readAllBytes(); // to EOF; a reset would throw
        assertThat(back.length).as("every byte came back").isEqualTo(payload.length);
        assertThat(back).isEqualTo(payload);
        assertThat(sent.get(20, TimeUnit.SECONDS)).isNull();
        assertThat(server.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(server.exitValue()).isZero();
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - signalled))
            .as("within the 5 s grace (plus the JVM's exit)").isLessThan(java.time.Duration.ofSeconds(15));
      }
    } finally {
      server.destroyForcibly();
    }
  }

  @Test
  void withTlsItPrintsTheFingerprintAndEchoesOverTls() throws Exception {
    Process server = start("--port", "0", "--threads", "1", "--tls", "--max-connections", "10", "--idle-timeout", "30");
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      Matcher m = LISTENING.matcher(String.valueOf(nextLine(out)));
      assertThat(m.find()).isTrue();
      assertThat(nextLine(out)).matches("TLS certificate SHA-256 fingerprint: ([0-9A-F]{2}:){31}[0-9A-F]{2}");
      javax.net.ssl.SSLContext trustAll = javax.net.ssl.SSLContext.getInstance("TLS");
      trustAll.init(null, io.netty.handler.ssl.util.InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), null);
      try (Socket client = trustAll.getSocketFactory().createSocket("127.0.0.1", Integer.parseInt(m.group(1)))) {
        client.getOutputStream().write("Ciao, TLS!\n".getBytes(StandardCharsets.UTF_8));
        client.getOutputStream().flush();
        byte[] back = new byte[11];
        new DataInputStream(client.getInputStream()).readFully(back);
        assertThat(new String(back, StandardCharsets.UTF_8)).isEqualTo("Ciao, TLS!\n");
      }
      server.destroy();
      assertThat(server.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(server.exitValue()).isZero();
    } finally {
      server.destroyForcibly();
    }
  }

  @Test
  void behindAProxyItEchoesAfterTheHeaderAndPrintsAStatsLineEverySecond() throws Exception {
    Process server = start("--port", "0", "--threads", "1", "--proxy-protocol", "--stats", "1");
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      String listening = nextLine(out);
      Matcher m = LISTENING.matcher(String.valueOf(listening));
      assertThat(m.find()).as(listening).isTrue();
      assertThat(m.group(5)).isEqualTo(", PROXY protocol");
      try (Socket client = new Socket("127.0.0.1", Integer.parseInt(m.group(1)))) {
        client.getOutputStream().write("PROXY TCP4 203.0.113.7 127.0.0.1 5555 8888\r\nhello\n".getBytes(StandardCharsets.US_ASCII));
        byte[] back = new byte[6];
        new DataInputStream(client.getInputStream()).readFully(back);
        assertThat(new String(back, StandardCharsets.US_ASCII)).isEqualTo("hello\n");
      }
      String stats = nextLine(out);
      while (stats != null && !stats.contains("1 accepted")) {
        assertThat(stats).startsWith("stats 1s: ");
        stats = nextLine(out);
      }
      assertThat(stats).startsWith("stats 1s: ").contains(" accepted (+").contains("turns/s").contains("tasks");
      server.destroy();
      assertThat(server.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(server.exitValue()).isZero();
    } finally {
      server.destroyForcibly();
    }
  }

  @Test
  void aTakenPortIsAOneLineErrorAndANonZeroExit() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
      Process server = start("--port", String.valueOf(taken.getLocalPort()));
      assertThat(server.waitFor(20, TimeUnit.SECONDS)).isTrue();
      String output = outputOf(server);
      assertThat(server.exitValue()).isNotZero();
      assertThat(output).startsWith("echo-server: cannot listen on 127.0.0.1:" + taken.getLocalPort())
          .doesNotContain("\n\tat ");
    }
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({"--transport, carrier-pigeon", "--threads, 0", "--port, 99999",
      "--port, abc", "--grace, -1", "--read-size, 0"})
  void aBadArgumentIsOneLineNamingTheFlagAndExitStatus2(String flag, String value) throws Exception {
    Process server = start(flag, value);
    assertThat(server.waitFor(20, TimeUnit.SECONDS)).isTrue();
    String output = outputOf(server);
    assertThat(server.exitValue()).isEqualTo(2);
    assertThat(output.lines()).singleElement().asString().startsWith("echo-server: ").contains(flag, value);
  }

  @Test
  void aHostThatDoesNotResolveIsOneLineNamingTheHostAndTheCause() throws Exception {
    Process server = start("--host", "no-such-host.invalid"); // RFC 6761: never resolves
    assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String output = outputOf(server);
    assertThat(server.exitValue()).isEqualTo(1);
    assertThat(output.lines()).singleElement().asString()
        .startsWith("echo-server: cannot listen on no-such-host.invalid:")
        .contains("UnknownHostException").contains("no-such-host.invalid");
  }

  @Test
  void helpListsTheFlags() throws Exception {
    Process server = start("--help");
    assertThat(server.waitFor(20, TimeUnit.SECONDS)).isTrue();
    String output = new String(server.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(server.exitValue()).isZero();
    assertThat(output).contains("--host", "--port", "--threads", "--transport", "--read-size", "--debug", "--tls",
        "--max-connections", "--idle-timeout");
    assertThat(Files.size(JAR)).isPositive();
  }
}
