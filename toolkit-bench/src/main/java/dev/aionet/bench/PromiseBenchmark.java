package dev.aionet.bench;

import dev.aionet.core.CompletablePromise;
import dev.aionet.core.Promise;
import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * One promise created, one continuation attached, the promise completed, the continuation's
 * result read: aionet's {@code thenApply} beside Netty's {@code DefaultPromise} with a listener
 * and the JDK's {@code CompletableFuture.thenApply}, all on the loop thread (where Netty and
 * aionet both run the continuation inline). Issue 8 target: aionet within 1.5 x Netty.
 *
 * <p>The value is a constant string and the derivation {@code String::length}, so no benchmark
 * pays for boxing.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(PromiseBenchmark.N)
public class PromiseBenchmark extends LoopBenchmark {
  static final int N = 10_000;
  private static final String VALUE = "aionet";

  /** Derivation attached while pending, then the source completed (an await that waits). */
  @Benchmark
  public long aionetThenApply() {
    return onLoop(() -> {
      long sum = 0;
      for (int i = 0; i < N; i++) {
        CompletablePromise<String> p = CompletablePromise.create();
        Promise<Integer> derived = p.thenApply(String::length);
        p.complete(VALUE);
        sum += derived.result();
      }
      check(sum == (long) N * VALUE.length(), "every derivation ran inline");
      return Promise.completed(sum);
    });
  }

  /** The source completed first, then the derivation (an await on a done promise). */
  @Benchmark
  public long aionetCompleteThenApply() {
    return onLoop(() -> {
      long sum = 0;
      for (int i = 0; i < N; i++) {
        CompletablePromise<String> p = CompletablePromise.create();
        p.complete(VALUE);
        sum += p.thenApply(String::length).result();
      }
      check(sum == (long) N * VALUE.length(), "every derivation ran inline");
      return Promise.completed(sum);
    });
  }

  /** Netty's idiom: a listener added while pending, then setSuccess notifies it inline. */
  @Benchmark
  public long nettyDefaultPromiseListener() {
    return onLoop(() -> {
      LengthListener listener = new LengthListener();
      for (int i = 0; i < N; i++) {
        DefaultPromise<String> p = new DefaultPromise<>(executor);
        p.addListener(listener);
        p.setSuccess(VALUE);
      }
      check(listener.sum == (long) N * VALUE.length(), "every listener ran inline");
      return Promise.completed(listener.sum);
    });
  }

  @Benchmark
  public long completableFutureThenApply() {
    return onLoop(() -> {
      long sum = 0;
      for (int i = 0; i < N; i++) {
        CompletableFuture<String> f = new CompletableFuture<>();
        CompletableFuture<Integer> derived = f.thenApply(String::length);
        f.complete(VALUE);
        sum += derived.join();
      }
      check(sum == (long) N * VALUE.length(), "every derivation ran inline");
      return Promise.completed(sum);
    });
  }

  /** The Netty listener: does the derivation's work (the length) and keeps the result. */
  private static final class LengthListener implements GenericFutureListener<Future<String>> {
    long sum;

    @Override
    public void operationComplete(Future<String> future) {
      sum += future.getNow().length();
    }
  }
}
