package dev.aionet.bench;

import dev.aionet.core.internal.LoopTurns;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What {@code Loop.stats()} costs each turn: one turn's counting ({@code begin} and {@code end}
 * of {@link LoopTurns}) beside two bare {@code System.nanoTime()} calls, its whole budget. With
 * {@code -prof gc} both show 0 B/op.
 *
 * <pre>
 * java -jar toolkit-bench/target/benchmarks.jar LoopTurnsBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LoopTurnsBenchmark {
  private final LoopTurns turns = new LoopTurns(Long.MAX_VALUE);
  private final Object what = new Object();

  @Benchmark
  public void countedTurn() {
    turns.begin();
    turns.end(what, 1);
  }

  @Benchmark
  public void twoNanoTimeCalls(Blackhole bh) {
    bh.consume(System.nanoTime());
    bh.consume(System.nanoTime());
  }
}
