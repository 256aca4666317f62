package dev.aionet.bench;

import dev.aionet.core.Loop;
import dev.aionet.core.LoopOptions;
import dev.aionet.samples.EchoServer;
import dev.aionet.streams.Server;
import dev.aionet.streams.ServerOptions;
import dev.aionet.streams.Streams;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A bounded soak of the echo server (issue 9): well-behaved clients whose every byte is checked,
 * beside clients that reset, trickle (slowloris), send oversize lines and never read, all on
 * 127.0.0.1 for {@code --seconds}. It serves with {@link EchoServer#echo} in-process, configured as
 * the echo jar is, or targets a running server with {@code --port}. It prints a {@link SoakReport}
 * and exits with 1 if a well-behaved client saw a wrong or missing byte, a server connection
 * outlived its client, or the server's resident set grew past {@code --rss-bound-mib} between the end
 * of the warm-up (the first quarter of the run, at most 10 s) and the end, after a GC. In-process,
 * the RSS is the whole JVM's, clients included.
 *
 * <pre>
 * java -cp toolkit-bench/target/classes:... dev.aionet.bench.EchoSoak --seconds 60
 * </pre>
 */
@Command(name = "echo-soak", mixinStandardHelpOptions = true,
    description = "Soaks the aionet echo server with well-behaved and misbehaving clients.")
public final class EchoSoak implements Callable<Integer> {

  @Option(names = "--seconds", description = "how long the clients run (default: ${DEFAULT-VALUE})")
  long seconds = 60;

  @Option(names = "--port", description = "a running echo server's port; 0 starts one in-process (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--server-pid", description = "with --port: the server's pid, to read its RSS from /proc")
  long serverPid = -1;

  @Option(names = "--threads", description = "in-process server loop threads (default: ${DEFAULT-VALUE})")
  int threads = 2;

  @Option(names = "--well-behaved", description = "well-behaved client threads (default: ${DEFAULT-VALUE})")
  int wellBehaved = 8;

  @Option(names = "--misbehaving", description = "client threads per misbehaviour (default: ${DEFAULT-VALUE})")
  int misbehaving = 1;

  @Option(names = "--rss-bound-mib", description = "largest allowed RSS growth (default: ${DEFAULT-VALUE})")
  long rssBoundMib = 256;

  /**
   * Runs the soak with these settings.
   *
   * @return the report
   * @throws InterruptedException if interrupted while waiting for the clients
   */
  public SoakReport run() throws InterruptedException {
    SoakReport report = new SoakReport();
    if (port != 0) {
      report.target("127.0.0.1:" + port + " (external server)", seconds);
      RssSampler rss = serverPid > 0 ? new RssSampler(serverPid, warmUp()) : null;
      long rssBefore = serverPid > 0 ? rssKib(serverPid) : -1;
      if (rss != null) {
        rss.start();
      }
      runClients(new InetSocketAddress("127.0.0.1", port), report);
      if (rss != null) {
        rss.interrupt();
        rss.join();
        report.rss(rssBefore, rss.afterWarmUp(), rss.peak(), rssKib(serverPid), rssBoundMib * 1024);
      }
      return report;
    }
    Loop loop = Loop.create(LoopOptions.builder().threads(threads).build());
    try {
      loop.setExceptionHandler(error -> report.serverError(
          error.exception() == null ? error.message() : error.exception().getClass().getSimpleName()));
      Server server = loop.runUntilComplete(() -> Streams.startServer(
          (reader, writer) -> EchoServer.echo(reader, writer, 65536), "127.0.0.1", 0, ServerOptions.builder().build()));
      report.target("127.0.0.1:" + server.port() + " (in-process echo server, " + loop.transport().name().toLowerCase()
          + ", " + threads + " threads)", seconds);
      long rssBefore = rssKib(ProcessHandle.current().pid());
      RssSampler rss = new RssSampler(ProcessHandle.current().pid(), warmUp());
      rss.start();
      runClients(new InetSocketAddress("127.0.0.1", server.port()), report);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (server.connectionCount() > 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait(); // handlers finish shortly after their clients: poll with a deadline
      }
      report.connectionsLeft(server.connectionCount());
      server.shutdown(Duration.ofSeconds(5)).join(Duration.ofSeconds(15));
      rss.interrupt();
      rss.join();
      report.rss(rssBefore, rss.afterWarmUp(), rss.peak(), rssAfterGc(), rssBoundMib * 1024);
      report.memory(PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory(),
          Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory());
    } finally {
      loop.close();
    }
    return report;
  }

  /** The load's first quarter, at most 10 s: the RSS after it is the baseline growth is measured from. */
  private Duration warmUp() {
    return Duration.ofMillis(Math.min(10_000, seconds * 1000 / 4));
  }

  /** Samples a process's RSS every 200 ms: the value once the warm-up is over, and the peak. */
  private static final class RssSampler extends Thread {
    private final long pid;
    private final long warmUpEndNanos;
    private volatile long afterWarmUp = -1;
    private volatile long peak = -1;

    RssSampler(long pid, Duration warmUp) {
      super("soak-rss");
      setDaemon(true);
      this.pid = pid;
      this.warmUpEndNanos = System.nanoTime() + warmUp.toNanos();
    }

    @Override
    public void run() {
      try {
        while (!isInterrupted()) {
          long now = rssKib(pid);
          peak = Math.max(peak, now);
          if (afterWarmUp < 0 && System.nanoTime() >= warmUpEndNanos) {
            afterWarmUp = now;
          }
          Thread.sleep(200); // the sampling period
        }
      } catch (InterruptedException e) {
        // done
      }
    }

    long afterWarmUp() {
      return afterWarmUp >= 0 ? afterWarmUp : peak;
    }

    long peak() {
      return peak;
    }
  }

  private void runClients(InetSocketAddress address, SoakReport report) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    List<Thread> clients = new ArrayList<>();
    for (SoakClient.Fate fate : SoakClient.Fate.values()) {
      int count = fate == SoakClient.Fate.WELL_BEHAVED ? wellBehaved : misbehaving;
      for (int i = 0; i < count; i++) {
        Thread th = new Thread(new SoakClient(fate, address, deadline, report), "soak-" + fate.label() + "-" + i);
        th.setDaemon(true);
        th.start();
        clients.add(th);
      }
    }
    for (Thread th : clients) {
      th.join(Duration.ofSeconds(seconds + 60).toMillis());
      if (th.isAlive()) {
        report.failure(th.getName() + " did not finish");
      }
    }
  }

  /**
   * This process's RSS once garbage is collected: G1 gives freed heap back concurrently after a
   * full GC, so this takes the lowest value seen within 3 s.
   */
  private static long rssAfterGc() throws InterruptedException {
    System.gc();
    long pid = ProcessHandle.current().pid();
    long lowest = rssKib(pid);
    for (int i = 0; i < 30; i++) {
      Thread.sleep(100); // the sampling period while the heap is uncommitted
      lowest = Math.min(lowest, rssKib(pid));
    }
    return lowest;
  }

  /** VmRSS of a process, in KiB, from /proc; -1 where /proc is missing. */
  static long rssKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  @Override
  public Integer call() throws InterruptedException {
    SoakReport report = run();
    System.out.println(report);
    return report.passed() ? 0 : 1;
  }

  /**
   * Runs the soak and exits with its verdict.
   *
   * @param args see {@code --help}
   */
  public static void main(String... args) {
    System.exit(new CommandLine(new EchoSoak()).execute(args));
  }
}
