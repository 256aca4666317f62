package dev.aionet.bench;

import dev.aionet.core.Coroutine;
import dev.aionet.core.Loop;
import dev.aionet.core.LoopOptions;
import io.netty.util.concurrent.EventExecutor;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The base of the benchmarks that must run on a loop thread: one aionet {@link Loop} with one
 * thread per trial, and {@link #onLoop} to run one invocation's batch of operations there.
 *
 * <p>Each invocation hops onto the loop thread once and then performs many operations
 * ({@code @OperationsPerInvocation}), so the hop and the join cost a few nanoseconds per
 * operation, the same for aionet and for its baseline. The Netty baselines run on the same
 * thread through {@link #executor}, the loop's one {@link EventExecutor}.
 */
@State(Scope.Benchmark)
public abstract class LoopBenchmark {
  /** The aionet loop of the trial (one thread). */
  protected Loop loop;
  /** The Netty executor behind the loop's thread: where the Netty baselines run. */
  protected EventExecutor executor;

  @Setup(Level.Trial)
  public void startLoop() {
    loop = Loop.create(LoopOptions.builder().threads(1).build());
    executor = loop.group().next();
  }

  @TearDown(Level.Trial)
  public void closeLoop() {
    loop.close();
  }

  /**
   * Runs {@code batch} as a task on the loop thread and waits until the promise it returns
   * settles (a batch whose work ends on a later turn returns a pending promise).
   */
  protected final <T> T onLoop(Coroutine<T> batch) {
    return loop.submit(batch).join();
  }

  /** Fails the benchmark when a batch did not do the work it claims (a broken measurement). */
  static void check(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException("benchmark self-check failed: " + what);
    }
  }
}
