package dev.aionet.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The echo load generator, written on plain Netty so that it measures the server and not
 * itself: C connections to an echo server, every echoed byte checked.
 *
 * <ul>
 *   <li>{@code --mode pingpong} (default): each connection sends an S-byte request, waits for all
 *       of it to come back, and sends the next; after the warm-up it measures requests/s, MB/s and
 *       the p50/p99/p99.9 round-trip latency (HdrHistogram) for D seconds.
 *   <li>{@code --mode stream}: each connection keeps K bytes in flight ({@code --in-flight}),
 *       written in S-byte chunks, for bulk throughput.
 *   <li>{@code --mode idle}: opens N connections, checks each with one S-byte request, prints
 *       {@code READY idle connections=N}, holds them for D seconds (for memory measurements), then
 *       checks that every one is still open.
 * </ul>
 *
 * <pre>
 * java -cp toolkit-bench/target/benchmarks.jar dev.aionet.bench.EchoLoad --port 9000 -c 50 -s 1024 -d 10
 * </pre>
 *
 * <p>With {@code --server-pid PID} it also reports the server's CPU time per request, read from
 * the operating system at the start and the end of the measurement: on a machine where the load
 * generator saturates first, that cost is what tells two servers apart.
 *
 * <p>It prints a report ending with one {@code RESULT key=value ...} line, and exits with 1 on any
 * byte mismatch or error (including a run in which nothing was echoed), else 0.
 */
@Command(name = "EchoLoad", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Echo load generator: ping-pong, streaming or idle connections; checks every byte.")
public final class EchoLoad implements Callable<Integer> {
  private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final long IDLE_CHECK_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

  @Option(names = "--host", description = "Server address (default: ${DEFAULT-VALUE}).")
  private String host = "127.0.0.1";

  @Option(names = "--port", required = true, description = "Server port.")
  private int port;

  @Option(names = "--mode", description = "pingpong, stream or idle (default: ${DEFAULT-VALUE}).")
  private String mode = "pingpong";

  @Option(names = {"-c", "--connections"}, description = "Connections (default: ${DEFAULT-VALUE}).")
  private int connections = 1;

  @Option(names = {"-s", "--size"}, description = "Message (stream: chunk) size in bytes (default: ${DEFAULT-VALUE}).")
  private int size = 100;

  @Option(names = {"-d", "--duration"}, description = "Measured seconds (idle: seconds held) (default: ${DEFAULT-VALUE}).")
  private double durationSeconds = 10;

  @Option(names = {"-w", "--warmup"}, description = "Warm-up seconds, not measured (default: ${DEFAULT-VALUE}).")
  private double warmupSeconds = 2;

  @Option(names = "--in-flight", description = "Stream mode: bytes in flight per connection (default: ${DEFAULT-VALUE}).")
  private int inFlight = 65_536;

  @Option(names = "--threads", description = "Load generator threads (default: ${DEFAULT-VALUE}).")
  private int threads = 1;

  @Option(names = "--transport", description = "nio, epoll or auto (default: ${DEFAULT-VALUE}).")
  private String transport = "auto";

  @Option(names = "--connect-concurrency", description = "Connects in progress at once (default: ${DEFAULT-VALUE}).")
  private int connectConcurrency = 256;

  @Option(names = "--server-pid", description = "Also report this process's CPU time per request (the server's).")
  private Long serverPid;

  private PrintStream out = System.out;

  public static void main(String... args) {
    System.exit(new CommandLine(new EchoLoad()).execute(args));
  }

  /** Parses {@code args} (the command-line flags) into a load that {@link #run()} runs. */
  public static EchoLoad parse(String... args) {
    EchoLoad load = new EchoLoad();
    new CommandLine(load).parseArgs(args);
    return load;
  }

  /** Where idle mode prints its READY line (standard output by default). */
  EchoLoad printingTo(PrintStream stream) {
    this.out = stream;
    return this;
  }

  @Override
  public Integer call() {
    EchoReport report = run();
    out.println(report);
    return report.errors() == 0 ? 0 : 1;
  }

  /**
   * Runs the load and returns the report; errors are counted in the report, never thrown.
   *
   * @throws IllegalArgumentException for an invalid option
   */
  public EchoReport run() {
    validate();
    NettyTransport t = NettyTransport.parse(transport);
    EventLoopGroup group = t.newGroup(threads, "echo-load");
    try {
      LoopStatsByThread stats = new LoopStatsByThread(group);
      LoadErrors errors = new LoadErrors();
      List<Channel> channels = connectAll(group, t, stats, errors);
      try {
        return "idle".equals(mode) ? holdIdle(channels, stats, errors) : measure(stats, errors);
      } finally {
        stats.onEachThread(s -> s.stopped = true);
        for (Channel ch : channels) {
          ch.close();
        }
        for (Channel ch : channels) {
          ch.closeFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
      }
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  private void validate() {
    mode = mode.toLowerCase(Locale.ROOT);
    require(List.of("pingpong", "stream", "idle").contains(mode), "--mode must be pingpong, stream or idle: " + mode);
    require(connections > 0, "--connections must be > 0: " + connections);
    require(size > 0, "--size must be > 0: " + size);
    require(inFlight > 0, "--in-flight must be > 0: " + inFlight);
    require(durationSeconds > 0, "--duration must be > 0: " + durationSeconds);
    require(warmupSeconds >= 0, "--warmup must be >= 0: " + warmupSeconds);
    require(threads > 0, "--threads must be > 0: " + threads);
    require(connectConcurrency > 0, "--connect-concurrency must be > 0: " + connectConcurrency);
  }

  static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Opens the connections, at most {@code connectConcurrency} connects at a time. */
  private List<Channel> connectAll(EventLoopGroup group, NettyTransport t, LoopStatsByThread stats, LoadErrors errors) {
    Bootstrap bootstrap = new Bootstrap()
        .group(group)
        .channel(t.channel())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
    Semaphore connecting = new Semaphore(connectConcurrency);
    List<ChannelFuture> connects = new ArrayList<>(connections);
    for (int i = 0; i < connections && errors.count() == 0; i++) {
      connecting.acquireUninterruptibly();
      int id = i;
      ChannelFuture f = bootstrap.clone().handler(newConnection(id, stats, errors)).connect(host, port);
      f.addListener(done -> {
        connecting.release();
        if (!done.isSuccess()) {
          errors.add("connection " + id + ": connect to " + host + ":" + port + " failed: " + done.cause());
        }
      });
      connects.add(f);
    }
    List<Channel> channels = new ArrayList<>(connects.size());
    for (ChannelFuture f : connects) {
      f.awaitUninterruptibly();
      channels.add(f.channel());
    }
    return channels;
  }

  private EchoConnection newConnection(int id, LoopStatsByThread stats, LoadErrors errors) {
    switch (mode) {
      case "stream":
        return new StreamingConnection(id, size, inFlight, stats, errors);
      case "idle":
        return new PingPongConnection(id, size, 1, stats, errors);
      default:
        return new PingPongConnection(id, size, Long.MAX_VALUE, stats, errors);
    }
  }

  /** Ping-pong and streaming: warm up, reset the counters, measure, stop. */
  private EchoReport measure(LoopStatsByThread stats, LoadErrors errors) {
    pause(seconds(warmupSeconds), errors);
    stats.onEachThread(LoopStats::reset);
    double cpuStart = ServerCpu.seconds(serverPid, errors);
    long start = System.nanoTime();
    pause(seconds(durationSeconds), errors);
    stats.onEachThread(s -> s.stopped = true);
    double measured = (System.nanoTime() - start) / 1e9;
    double serverCpu = ServerCpu.seconds(serverPid, errors) - cpuStart;
    LoopStats total = stats.total();
    if (total.requests == 0 && errors.count() == 0) {
      errors.add("no request was echoed in full during the measurement");
    }
    Histogram latency = "stream".equals(mode) ? new Histogram(3) : total.latencyNanos;
    return new EchoReport(mode, connections, size, measured, total.requests, total.bytes, latency, serverCpu,
        errors.count(), errors.firstMessages());
  }

  /** Idle: every connection echoes one request, then all are held open for the duration. */
  private EchoReport holdIdle(List<Channel> channels, LoopStatsByThread stats, LoadErrors errors) {
    long deadline = System.nanoTime() + IDLE_CHECK_TIMEOUT_NANOS;
    long echoed;
    while ((echoed = snapshot(stats).requests) < connections && errors.count() == 0
        && System.nanoTime() < deadline) {
      pause(SLICE_NANOS, errors);
    }
    if (echoed < connections) {
      errors.add((connections - echoed) + " of " + connections + " idle connections did not echo their first request");
    } else {
      // A line for scripts: measure the server's memory now.
      out.println("READY idle connections=" + connections);
      out.flush();
    }
    long start = System.nanoTime();
    pause(seconds(durationSeconds), errors);
    double held = (System.nanoTime() - start) / 1e9;
    long open = channels.stream().filter(Channel::isActive).count();
    if (open < connections && errors.count() == 0) {
      errors.add((connections - open) + " of " + connections + " idle connections were closed");
    }
    LoopStats total = snapshot(stats);
    return new EchoReport(mode, connections, size, held, total.requests, total.bytes, total.latencyNanos, Double.NaN,
        errors.count(), errors.firstMessages());
  }

  /** The totals so far: each thread's stats are read after a task on that thread (a barrier). */
  private static LoopStats snapshot(LoopStatsByThread stats) {
    stats.onEachThread(s -> { });
    return stats.total();
  }

  private static long seconds(double s) {
    return (long) (s * 1e9);
  }

  /** Waits {@code nanos}, or less once an error happened (the run has failed anyway). */
  private static void pause(long nanos, LoadErrors errors) {
    long end = System.nanoTime() + nanos;
    long left;
    while ((left = end - System.nanoTime()) > 0 && errors.count() == 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(Math.min(left, SLICE_NANOS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        errors.add("interrupted");
        return;
      }
    }
  }
}
