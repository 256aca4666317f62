package dev.aionet.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The second echo load generator, of another design than {@link EchoLoad}: open loop, at a fixed
 * request rate, on plain {@code java.nio} (one thread, one {@link Selector}; no Netty), so that a
 * figure both clients reproduce is not an artefact of either.
 *
 * <p>Request {@code k} (of {@code --size} bytes) is meant to leave at {@code k / rate} seconds
 * after the start, on connection {@code k mod C}, whether or not earlier requests were answered
 * (an echo server answers them in order, so several may be in flight on one connection). The
 * latency of a request is measured from that intended time, not from when it was actually
 * written: a server that stalls is charged for every request it delayed, also those the client
 * could only send late (the correction for coordinated omission). Every echoed byte is checked.
 *
 * <p>The measured requests are those meant to leave during the {@code --duration} seconds after
 * the {@code --warmup}; then sending stops and the client waits (up to {@code --drain-timeout})
 * until every one of them is answered. The report gives the rate achieved (measured requests over
 * the time from the window's start until the last of them was answered; the target rate when the
 * server keeps up), latency percentiles, how many sends left more than 1 ms late (the client's
 * own lag), the server's CPU time per request ({@code --server-pid}, over the same time) and
 * errors. Its timing resolution is about 0.1 ms: between sends less than 2 ms apart it polls the
 * selector and parks up to 50 us.
 *
 * <pre>
 * java -cp toolkit-bench/target/benchmarks.jar dev.aionet.bench.OpenLoopLoad --port 9000 -c 50 -s 1024 --rate 20000 -d 10
 * </pre>
 *
 * <p>The last line is {@code RESULT key=value ...} with {@link EchoLoad}'s keys (mode
 * {@code openloop}) plus {@code target}, {@code scheduled} and {@code late}; the exit status is 1
 * on any error (a byte mismatch, a connection closed or refused, a request not answered in time).
 */
@Command(name = "OpenLoopLoad", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Open-loop echo load on plain java.nio: a fixed request rate whatever the answers,"
        + " latency from each request's intended send time; checks every byte.")
public final class OpenLoopLoad implements Callable<Integer> {
  /** A send more than this behind its intended time counts as late (the client's lag, not the server's). */
  static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long SELECT_MIN_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  private static final long PARK_MAX_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

  @Option(names = "--host", description = "Server address (default: ${DEFAULT-VALUE}).")
  private String host = "127.0.0.1";

  @Option(names = "--port", required = true, description = "Server port.")
  private int port;

  @Option(names = {"-c", "--connections"}, description = "Connections (default: ${DEFAULT-VALUE}).")
  private int connections = 50;

  @Option(names = {"-s", "--size"}, description = "Request size in bytes (default: ${DEFAULT-VALUE}).")
  private int size = 100;

  @Option(names = {"-r", "--rate"}, description = "Requests per second, over all connections (default: ${DEFAULT-VALUE}).")
  private double rate = 10_000;

  @Option(names = {"-d", "--duration"}, description = "Seconds whose requests are measured (default: ${DEFAULT-VALUE}).")
  private double durationSeconds = 10;

  @Option(names = {"-w", "--warmup"}, description = "Seconds of load before them, not measured (default: ${DEFAULT-VALUE}).")
  private double warmupSeconds = 2;

  @Option(names = "--drain-timeout", description = "Seconds to wait for the measured requests' answers after the last"
      + " send (default: ${DEFAULT-VALUE}).")
  private double drainTimeoutSeconds = 10;

  @Option(names = "--server-pid", description = "Also report this process's CPU time per request (the server's).")
  private Long serverPid;

  private PrintStream out = System.out;

  public static void main(String... args) {
    System.exit(new CommandLine(new OpenLoopLoad()).execute(args));
  }

  /** Parses {@code args} (the command-line flags) into a load that {@link #run()} runs. */
  public static OpenLoopLoad parse(String... args) {
    OpenLoopLoad load = new OpenLoopLoad();
    new CommandLine(load).parseArgs(args);
    return load;
  }

  /** Where the report goes (standard output by default). */
  OpenLoopLoad printingTo(PrintStream stream) {
    this.out = stream;
    return this;
  }

  @Override
  public Integer call() {
    OpenLoopReport report = run();
    out.println(report);
    return report.echo().errors() == 0 ? 0 : 1;
  }

  /**
   * Runs the load and returns the report; errors are counted in the report, never thrown.
   *
   * @throws IllegalArgumentException for an invalid option
   */
  public OpenLoopReport run() {
    validate();
    LoadErrors errors = new LoadErrors();
    List<OpenLoopConnection> open = new ArrayList<>(connections);
    try (Selector selector = Selector.open()) {
      try {
        connectAll(selector, open, errors);
        return errors.count() > 0 ? report(new Schedule(), errors) : drive(selector, open, errors);
      } finally {
        open.forEach(OpenLoopConnection::close);
      }
    } catch (IOException e) {
      errors.add("selector: " + e);
      return report(new Schedule(), errors);
    }
  }

  private void validate() {
    EchoLoad.require(connections > 0, "--connections must be > 0: " + connections);
    EchoLoad.require(size > 0, "--size must be > 0: " + size);
    EchoLoad.require(rate > 0 && rate <= 10_000_000, "--rate must be > 0 and at most 10,000,000: " + rate);
    EchoLoad.require(durationSeconds > 0, "--duration must be > 0: " + durationSeconds);
    EchoLoad.require(warmupSeconds >= 0, "--warmup must be >= 0: " + warmupSeconds);
    EchoLoad.require(drainTimeoutSeconds > 0, "--drain-timeout must be > 0: " + drainTimeoutSeconds);
  }

  private void connectAll(Selector selector, List<OpenLoopConnection> open, LoadErrors errors) {
    InetSocketAddress address = new InetSocketAddress(host, port);
    for (int i = 0; i < connections; i++) {
      try {
        SocketChannel channel = SocketChannel.open();
        try {
          channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
          channel.socket().connect(address, 10_000);
          channel.configureBlocking(false);
          SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
          OpenLoopConnection c = new OpenLoopConnection(i, channel, key, size);
          key.attach(c);
          open.add(c);
        } catch (IOException e) {
          channel.close();
          throw e;
        }
      } catch (IOException e) {
        errors.add("connection " + i + ": connect to " + host + ":" + port + " failed: " + e);
        return;
      }
    }
  }

  /** What the schedule did and what came back, in nanoseconds since the start. */
  private final class Schedule implements OpenLoopConnection.Answered {
    final long windowStart = seconds(warmupSeconds);
    final long windowEnd = windowStart + seconds(durationSeconds);
    final double nanosPerRequest = 1e9 / rate;
    final Histogram latencyNanos = new Histogram(TimeUnit.MINUTES.toNanos(10), 3);
    final long start = System.nanoTime();
    long next;
    long scheduled;
    long answered;
    long late;
    long lastAnswer;
    double cpuStart = Double.NaN;
    double cpuSeconds = Double.NaN;

    /** When request {@code k} is meant to leave. */
    long intended(long k) {
      return (long) (k * nanosPerRequest);
    }

    long now() {
      return System.nanoTime() - start;
    }

    /** Whether every request meant to leave before the window's end has left. */
    boolean allSent() {
      return intended(next) >= windowEnd;
    }

    @Override
    public void request(long intendedNanos) {
      if (intendedNanos >= windowStart) {
        long now = now();
        latencyNanos.recordValue(Math.min(now - intendedNanos, latencyNanos.getHighestTrackableValue()));
        answered++;
        lastAnswer = now;
      }
    }
  }

  private OpenLoopReport drive(Selector selector, List<OpenLoopConnection> open, LoadErrors errors) {
    Schedule s = new Schedule();
    ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
    long drainEnd = s.windowEnd + seconds(drainTimeoutSeconds);
    try {
      while (errors.count() == 0) {
        long now = s.now();
        if (Double.isNaN(s.cpuStart) && now >= s.windowStart) {
          s.cpuStart = ServerCpu.seconds(serverPid, errors);
        }
        while (!s.allSent() && s.intended(s.next) <= now) {
          long intended = s.intended(s.next);
          if (intended >= s.windowStart) {
            s.scheduled++;
            if (now - intended > LATE_NANOS) {
              s.late++;
            }
          }
          open.get((int) (s.next % open.size())).send(intended);
          s.next++;
        }
        if (s.allSent() && s.answered == s.scheduled || now > drainEnd) {
          break;
        }
        await(selector, s.allSent() ? drainEnd - now : s.intended(s.next) - now);
        handleReady(selector, buffer, s, errors);
      }
    } catch (IOException e) {
      errors.add("I/O error: " + e);
    }
    s.cpuSeconds = ServerCpu.seconds(serverPid, errors) - s.cpuStart;
    if (s.answered < s.scheduled && errors.count() == 0) {
      errors.add((s.scheduled - s.answered) + " of " + s.scheduled + " measured requests were not answered within "
          + drainTimeoutSeconds + " s after the last send");
    }
    return report(s, errors);
  }

  /** Waits for I/O up to {@code nanos}: in the selector when that is long, else by short parks between polls. */
  private static void await(Selector selector, long nanos) throws IOException {
    if (nanos >= SELECT_MIN_NANOS) {
      selector.select(nanos / 1_000_000 - 1);
    } else if (selector.selectNow() == 0 && nanos > 0) {
      LockSupport.parkNanos(Math.min(nanos, PARK_MAX_NANOS));
      selector.selectNow();
    }
  }

  private static void handleReady(Selector selector, ByteBuffer buffer, Schedule s, LoadErrors errors) {
    Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
    while (ready.hasNext()) {
      SelectionKey key = ready.next();
      ready.remove();
      OpenLoopConnection c = (OpenLoopConnection) key.attachment();
      try {
        if (key.isValid() && key.isWritable()) {
          c.flush();
        }
        if (key.isValid() && key.isReadable()) {
          String problem = c.read(buffer, s);
          if (problem != null) {
            errors.add("connection " + c.id + ", " + problem);
            key.cancel();
          }
        }
      } catch (IOException e) {
        errors.add("connection " + c.id + ", " + e);
        key.cancel();
      }
    }
  }

  private OpenLoopReport report(Schedule s, LoadErrors errors) {
    double seconds = Math.max(s.windowEnd, s.lastAnswer) - s.windowStart;
    EchoReport echo = new EchoReport("openloop", connections, size, seconds / 1e9, s.answered, s.answered * size,
        s.latencyNanos, s.cpuSeconds, errors.count(), errors.firstMessages());
    return new OpenLoopReport(echo, rate, s.scheduled, s.late);
  }

  private static long seconds(double s) {
    return (long) (s * 1e9);
  }
}
