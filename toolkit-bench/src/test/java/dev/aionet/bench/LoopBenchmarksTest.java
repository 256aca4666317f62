package dev.aionet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * Every {@code @Benchmark} of the loop benchmarks runs twice, as JMH would call it: a smoke test
 * of their self-checks (each verifies it did the work it claims), never a speed test.
 */
@Timeout(120)
class LoopBenchmarksTest {

  static Stream<Class<? extends LoopBenchmark>> benchmarks() {
    return Stream.of(PromiseBenchmark.class, CallbackBenchmark.class, ComposeChainBenchmark.class,
        TaskBenchmark.class, SleepBenchmark.class, GatherBenchmark.class, QueueBenchmark.class,
        RepeatWhileBenchmark.class, ReadLineBenchmark.class, ReadExactlyBenchmark.class,
        SeedIterationBenchmark.class, EchoRequestBenchmark.class);
  }

  @ParameterizedTest
  @MethodSource("benchmarks")
  void everyBenchmarkDoesTheWorkItClaims(Class<? extends LoopBenchmark> type) throws Exception {
    LoopBenchmark benchmark = type.getConstructor().newInstance();
    Method[] methods = Arrays.stream(type.getDeclaredMethods())
        .filter(m -> m.isAnnotationPresent(Benchmark.class)).toArray(Method[]::new);
    assertThat(methods).isNotEmpty();
    benchmark.startLoop();
    try {
      for (Method m : methods) {
        for (int i = 0; i < 2; i++) {
          // Each returns a checked positive figure (a count or a sum) or throws.
          assertThat(((Number) m.invoke(benchmark)).longValue()).as(m.getName()).isPositive();
        }
      }
    } finally {
      benchmark.closeLoop();
    }
  }
}
