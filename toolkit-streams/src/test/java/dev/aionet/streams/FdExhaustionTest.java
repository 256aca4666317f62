package dev.aionet.streams;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.aionet.core.Transport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fault F7 (docs/faults.md): a server out of file descriptors (EMFILE). A child JVM runs the echo server under
 * {@code ulimit -n 128}; clients connect until one is no longer accepted. The listener must then
 * back off (Netty's ServerBootstrapAcceptor pauses accepting for 1 s on an accept error, as
 * asyncio's ACCEPT_RETRY_DELAY) instead of spinning on the ready listener, and accept again once
 * descriptors are free.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FdExhaustionTest {
  private static final int MAX_CLIENTS = 400;
  private static final Duration CPU_WINDOW = Duration.ofSeconds(3);

  /** The process's user + system CPU time, in clock ticks (1/100 s on Linux). */
  private static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15)
  }

  /** Whether {@code s} gets "ping\n" echoed within {@code timeout}. */
  private static boolean echoes(Socket s, Duration timeout) throws IOException {
    s.setSoTimeout((int) timeout.toMillis());
    s.getOutputStream().write("ping\n".getBytes(US_ASCII));
    try {
      return new String(s.getInputStream().readNBytes(5), US_ASCII).equals("ping\n");
    } catch (SocketTimeoutException notAccepted) {
      return false;
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aServerOutOfDescriptorsBacksOffWithoutSpinningAndAcceptsAgainOnceTheyAreFree(Transport transport)
      throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs Linux /proc");
    String java = ProcessHandle.current().info().command().orElse("java");
    String command = "ulimit -n 128 && exec '" + java + "' -cp '" + System.getProperty("java.class.path") + "' "
        + FdExhaustionServer.class.getName() + " " + transport.name();
    Process child = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true).start();
    List<Socket> clients = new ArrayList<>();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), US_ASCII));
      String line;
      while ((line = out.readLine()) != null && !line.startsWith("PORT ")) {
        // JVM warnings before the port
      }
      assertThat(line).as("the child's port").isNotNull();
      InetSocketAddress address = new InetSocketAddress("127.0.0.1", Integer.parseInt(line.substring(5).trim()));
      Thread drainLog = new Thread(() -> out.lines().forEach(l -> { }), "child-output");
      drainLog.setDaemon(true);
      drainLog.start(); // the child's log (Netty reports the failed accepts) must not block it

      Socket refused = null;
      while (refused == null && clients.size() < MAX_CLIENTS) {
        Socket s = new Socket();
        s.connect(address, 5000); // the kernel completes it; the server's accept() may fail
        if (echoes(s, Duration.ofSeconds(2))) {
          clients.add(s);
        } else {
          refused = s;
        }
      }
      assertThat(refused).as("a connection the server could not accept (EMFILE) among " + MAX_CLIENTS).isNotNull();

      long before = cpuTicks(child.pid());
      long start = System.nanoTime();
      assertThat(child.waitFor(CPU_WINDOW.toMillis(), TimeUnit.MILLISECONDS)).as("the child survives").isFalse();
      double cores = (cpuTicks(child.pid()) - before) / 100.0 / ((System.nanoTime() - start) / 1e9);
      assertThat(cores).as("CPU used while out of descriptors (cores)").isLessThan(0.15);

      for (Socket s : clients) {
        s.close();
      }
      clients.clear();
      refused.setSoTimeout(10_000);
      assertThat(new String(refused.getInputStream().readNBytes(5), US_ASCII))
          .as("accepted and echoed once descriptors are free").isEqualTo("ping\n");
      refused.close();
    } finally {
      for (Socket s : clients) {
        s.close();
      }
      child.getOutputStream().close();
      if (!child.waitFor(10, TimeUnit.SECONDS)) {
        child.destroyForcibly();
      }
    }
  }
}
