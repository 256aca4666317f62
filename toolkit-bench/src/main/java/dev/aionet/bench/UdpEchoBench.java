package dev.aionet.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * UDP echo, aionet against raw Netty in the same JVM: both servers run (one loop thread each)
 * while the load generator drives one at a time, in a shuffled order each round, so both see the
 * same machine. Per size it prints the median (and min-max) of datagrams per second and of the
 * server thread's CPU time per datagram, and the ratios of the medians to raw Netty's. The
 * servers: {@code raw-netty} (Netty's default 2,048-byte receive buffer, which would truncate
 * longer datagrams), {@code raw-64k} (raw Netty with a fixed 65,508-byte buffer, which never
 * truncates), {@code aionet} (the {@code UdpEcho} sample's loop; recvmmsg on epoll) and on epoll
 * {@code aionet-1msg} (aionet with {@code -Daionet.datagram.recvmmsg=false}).
 *
 * <pre>
 * java -cp toolkit-bench/target/benchmarks.jar dev.aionet.bench.UdpEchoBench --rounds 7 --seconds 3
 * </pre>
 */
@Command(name = "UdpEchoBench", mixinStandardHelpOptions = true,
    description = "UDP echo: aionet vs raw Netty, interleaved; datagrams/s and server CPU per datagram.")
public final class UdpEchoBench implements Callable<Integer> {

  @Option(names = "--transport", description = "nio, epoll or auto (default: ${DEFAULT-VALUE}).")
  String transport = "auto";

  @Option(names = "--sizes", split = ",", description = "datagram sizes in bytes (default: 64,1400).")
  int[] sizes = {64, 1400};

  @Option(names = "--window", description = "datagrams in flight (default: ${DEFAULT-VALUE}).")
  int window = 32;

  @Option(names = "--rounds", description = "interleaved rounds per size (default: ${DEFAULT-VALUE}).")
  int rounds = 5;

  @Option(names = "--seconds", description = "measured seconds per server and round (default: ${DEFAULT-VALUE}).")
  double seconds = 3;

  @Option(names = "--warmup", description = "unmeasured seconds before each measurement (default: ${DEFAULT-VALUE}).")
  double warmup = 1;

  @Override
  public Integer call() throws Exception {
    NettyTransport t = NettyTransport.parse(transport);
    Map<String, Function<NettyTransport, UdpEchoTarget>> servers = new LinkedHashMap<>();
    servers.put("raw-netty", RawNettyUdpEcho::new);
    servers.put("raw-64k", tr -> new RawNettyUdpEcho(tr, 65_508)); // sized as aionet's: nothing truncated
    servers.put("aionet", AionetUdpEcho::new);
    if (t == NettyTransport.EPOLL) {
      servers.put("aionet-1msg", tr -> { // epoll without recvmmsg: one recvmsg per datagram
        System.setProperty("aionet.datagram.recvmmsg", "false");
        try {
          return new AionetUdpEcho(tr);
        } finally {
          System.clearProperty("aionet.datagram.recvmmsg");
        }
      });
    }
    System.out.printf(Locale.ROOT, "# UDP echo, %s, window %d, %d rounds x %.1f s (+%.1f s warm-up), %d cores, java %s%n",
        t, window, rounds, seconds, warmup, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
    Map<String, UdpEchoTarget> running = new LinkedHashMap<>();
    try (UdpEchoLoad load = new UdpEchoLoad(t)) {
      servers.forEach((name, make) -> running.put(name, make.apply(t)));
      for (int size : sizes) {
        Map<String, List<UdpEchoLoad.Result>> results = new LinkedHashMap<>();
        running.keySet().forEach(name -> results.put(name, new ArrayList<>()));
        List<String> order = new ArrayList<>(running.keySet());
        Random random = new Random(size);
        for (int round = 0; round < rounds; round++) {
          Collections.shuffle(order, random);
          for (String name : order) {
            results.get(name).add(load.run(running.get(name), size, window, warmup, seconds));
          }
        }
        report(size, results);
      }
    } finally {
      running.values().forEach(UdpEchoTarget::close);
    }
    return 0;
  }

  private static void report(int size, Map<String, List<UdpEchoLoad.Result>> results) {
    double[] base = null;
    for (Map.Entry<String, List<UdpEchoLoad.Result>> e : results.entrySet()) {
      double[] rate = e.getValue().stream().mapToDouble(UdpEchoLoad.Result::perSecond).sorted().toArray();
      double[] cpu = e.getValue().stream().mapToDouble(UdpEchoLoad.Result::cpuNanosPerEcho).sorted().toArray();
      double[] medians = {median(rate), median(cpu)};
      if (base == null) {
        base = medians;
      }
      System.out.printf(Locale.ROOT,
          "%5d B  %-10s datagrams/s median %9.0f (%9.0f-%9.0f) x%.2f | server CPU ns/datagram median %7.0f (%7.0f-%7.0f) x%.2f%n",
          size, e.getKey(), medians[0], rate[0], rate[rate.length - 1], medians[0] / base[0],
          medians[1], cpu[0], cpu[cpu.length - 1], medians[1] / base[1]);
    }
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  public static void main(String... args) {
    System.exit(new CommandLine(new UdpEchoBench()).execute(args));
  }
}
