package dev.aionet.bench;

import dev.aionet.core.Aio;
import dev.aionet.core.CompletablePromise;
import dev.aionet.core.Promise;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * {@code Aio.repeatWhile} whose every iteration returns an already completed promise (an
 * {@code await} that does not wait, as a read of buffered data), beside the same asynchronous
 * loop on Netty: each iteration a succeeded future whose listener starts the next (Netty runs
 * nested listeners inline up to depth 8, then through the executor). One operation is one
 * iteration. Issue 8 target: at least 10 million iterations/s on one core (at most 100 ns).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(RepeatWhileBenchmark.N)
public class RepeatWhileBenchmark extends LoopBenchmark {
  static final int N = 100_000;
  private static final Promise<Boolean> MORE = Promise.completed(true);
  private static final Promise<Boolean> DONE = Promise.completed(false);

  private int i;

  /** The iteration returns a shared completed promise: the loop's own cost. */
  @Benchmark
  public long aionetRepeatWhile() {
    return onLoop(() -> {
      i = 0;
      return Aio.repeatWhile(() -> ++i < N ? MORE : DONE).thenApply(x -> {
        check(i == N, i + " of " + N + " iterations");
        return (long) i;
      });
    });
  }

  /** The iteration creates its completed promise, as {@code Promise.completed(++i < N)}. */
  @Benchmark
  public long aionetRepeatWhileNewPromise() {
    return onLoop(() -> {
      i = 0;
      return Aio.repeatWhile(() -> Promise.completed(++i < N)).thenApply(x -> {
        check(i == N, i + " of " + N + " iterations");
        return (long) i;
      });
    });
  }

  @Benchmark
  public long nettySucceededFutureListeners() {
    return onLoop(() -> {
      i = 0;
      CompletablePromise<Long> done = CompletablePromise.create();
      new NettyLoop(done).step();
      return done;
    });
  }

  /** One iteration: a succeeded future; its listener runs the next iteration or ends. */
  private final class NettyLoop implements GenericFutureListener<Future<Boolean>> {
    private final CompletablePromise<Long> done;

    NettyLoop(CompletablePromise<Long> done) {
      this.done = done;
    }

    void step() {
      executor.newSucceededFuture(++i < N).addListener(this);
    }

    @Override
    public void operationComplete(Future<Boolean> f) {
      if (f.getNow()) {
        step();
      } else {
        check(i == N, i + " of " + N + " iterations");
        done.complete((long) i);
      }
    }
  }
}
