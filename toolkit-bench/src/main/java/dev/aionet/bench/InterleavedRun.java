package dev.aionet.bench;

import dev.aionet.core.Promise;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * Runs the {@code @Benchmark} methods of one {@link LoopBenchmark} class interleaved, in random
 * order, in one JVM, and reports per operation the CPU time of the loop thread (median and 10th
 * percentile over all invocations) besides the wall time.
 *
 * <p>Why beside JMH: on a shared machine other processes steal the CPU for seconds at a time, and
 * JMH's wall-clock scores of two benchmarks measured a minute apart then differ by 2-5 x. The
 * loop thread's CPU time ignores the time it was descheduled, and interleaving exposes both
 * sides to the same conditions, so the ratio aionet / baseline stays stable.
 *
 * <pre>
 * java -cp toolkit-bench/target/benchmarks.jar dev.aionet.bench.InterleavedRun PromiseBenchmark 20
 * </pre>
 */
public final class InterleavedRun {
  private static final long WARMUP_NANOS = TimeUnit.SECONDS.toNanos(3);

  private InterleavedRun() {}

  /** Arguments: the benchmark class's simple name, then the seconds to run (default 20). */
  public static void main(String... args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: InterleavedRun BenchmarkClass [seconds]");
      System.exit(2);
    }
    Class<?> type = Class.forName(InterleavedRun.class.getPackageName() + "." + args[0]);
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 20;
    LoopBenchmark benchmark = (LoopBenchmark) type.getConstructor().newInstance();
    int operations = type.getAnnotation(OperationsPerInvocation.class).value();
    List<Method> methods = new ArrayList<>();
    for (Method m : type.getDeclaredMethods()) {
      if (m.isAnnotationPresent(Benchmark.class)) {
        methods.add(m);
      }
    }
    methods.sort(Comparator.comparing(Method::getName));

    benchmark.startLoop();
    try {
      Map<Method, List<double[]>> samples = run(benchmark, methods, operations, seconds);
      for (Method m : methods) {
        List<double[]> s = samples.get(m);
        System.out.printf(Locale.ROOT, "%-22s %-30s cpu ns/op: median %8.1f p10 %8.1f | wall ns/op: median %8.1f (n=%d)%n",
            type.getSimpleName(), m.getName(), percentile(s, 0, 50), percentile(s, 0, 10), percentile(s, 1, 50), s.size());
      }
    } finally {
      benchmark.closeLoop();
    }
  }

  private static Map<Method, List<double[]>> run(LoopBenchmark benchmark, List<Method> methods, int operations,
      double seconds) throws IllegalAccessException, InvocationTargetException {
    long loopThread = benchmark.loop.submit(() -> Promise.completed(Thread.currentThread().getId())).join();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<Method, List<double[]>> samples = new LinkedHashMap<>();
    methods.forEach(m -> samples.put(m, new ArrayList<>()));
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    List<Method> order = new ArrayList<>(methods);
    Random random = new Random(1);
    while (System.nanoTime() < end) {
      Collections.shuffle(order, random);
      for (Method m : order) {
        long cpu0 = threads.getThreadCpuTime(loopThread);
        long wall0 = System.nanoTime();
        m.invoke(benchmark);
        long cpu1 = threads.getThreadCpuTime(loopThread);
        long wall1 = System.nanoTime();
        if (wall0 - start > WARMUP_NANOS) {
          samples.get(m).add(new double[] {(cpu1 - cpu0) / (double) operations, (wall1 - wall0) / (double) operations});
        }
      }
    }
    return samples;
  }

  private static double percentile(List<double[]> samples, int column, int percent) {
    if (samples.isEmpty()) {
      return Double.NaN;
    }
    double[] values = samples.stream().mapToDouble(s -> s[column]).sorted().toArray();
    return values[Math.min(values.length - 1, values.length * percent / 100)];
  }
}
