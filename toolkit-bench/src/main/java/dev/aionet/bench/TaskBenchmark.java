package dev.aionet.bench;

import dev.aionet.core.Aio;
import dev.aionet.core.CompletablePromise;
import dev.aionet.core.Promise;
import dev.aionet.core.Task;
import io.netty.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * {@value #TASKS} tasks created on the loop thread, each running a trivial coroutine to
 * completion on a later turn: {@code Aio.createTask} beside Netty's {@code executor.submit} (a
 * Runnable wrapped in a promise task). One operation is one task, created and completed.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(TaskBenchmark.TASKS)
public class TaskBenchmark extends LoopBenchmark {
  static final int TASKS = 100_000;
  private static final Promise<Integer> ONE = Promise.completed(1);

  private long ran;

  @Benchmark
  public long aionetCreateTask() {
    return onLoop(() -> {
      ran = 0;
      Task<Integer> last = null;
      for (int i = 0; i < TASKS; i++) {
        last = Aio.createTask(() -> {
          ran++;
          return ONE;
        });
      }
      // Tasks start in creation order (asyncio's FIFO call_soon): the last one ends last.
      return last.thenApply(v -> {
        check(ran == TASKS, ran + " of " + TASKS + " tasks ran");
        return ran;
      });
    });
  }

  @Benchmark
  public long nettySubmit() {
    return onLoop(() -> {
      ran = 0;
      Future<?> last = null;
      for (int i = 0; i < TASKS; i++) {
        last = executor.submit(() -> ran++);
      }
      CompletablePromise<Long> allRan = CompletablePromise.create();
      last.addListener(f -> {
        check(ran == TASKS, ran + " of " + TASKS + " tasks ran");
        allRan.complete(ran);
      });
      return allRan;
    });
  }
}
