package dev.aionet.bench;

import dev.aionet.core.Aio;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;

/**
 * The process CPU time of one suspension in sequential style ({@code Aio.await} of a promise that
 * settles on the next turn, in an async body) against one step of the same loop with callbacks
 * ({@code Aio.repeatWhile} over the same promise), interleaved round by round; prints the medians
 * and their ratio. CPU time rather than wall time, so a machine shared with other work inflates
 * both alike instead of measuring its scheduler.
 *
 * <pre>
 * java --add-opens java.base/java.lang=ALL-UNNAMED -cp toolkit-bench/target/benchmarks.jar dev.aionet.bench.AwaitCpu 200000 7
 * </pre>
 */
public final class AwaitCpu {
  private AwaitCpu() {}

  public static void main(String... args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    com.sun.management.OperatingSystemMXBean os =
        ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class);
    double[] await = new double[rounds];
    double[] callbacks = new double[rounds];
    for (int round = -1; round < rounds; round++) { // round -1 warms up
      long cpu0 = os.getProcessCpuTime();
      Aio.run(() -> Aio.async(() -> {
        for (int i = 0; i < n; i++) {
          Aio.await(Aio.sleep(Duration.ZERO));
        }
        return null;
      }));
      long cpu1 = os.getProcessCpuTime();
      int[] left = {n};
      Aio.run(() -> Aio.repeatWhile(() -> Aio.sleep(Duration.ZERO, --left[0] > 0)));
      long cpu2 = os.getProcessCpuTime();
      if (round >= 0) {
        await[round] = (cpu1 - cpu0) / 1e3 / n;
        callbacks[round] = (cpu2 - cpu1) / 1e3 / n;
      }
    }
    Arrays.sort(await);
    Arrays.sort(callbacks);
    double a = await[rounds / 2];
    double c = callbacks[rounds / 2];
    System.out.printf("java %s, %d rounds of %d: await %.2f us CPU (%.2f-%.2f), callbacks %.2f us (%.2f-%.2f),"
        + " await / callbacks %.2f%n", Runtime.version(), rounds, n, a, await[0], await[rounds - 1], c,
        callbacks[0], callbacks[rounds - 1], a / c);
  }
}
