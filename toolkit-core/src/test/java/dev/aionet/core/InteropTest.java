package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Promises meet CompletableFuture, Netty futures and foreign threads. */
@Timeout(30)
class InteropTest {
  private Loop loop;

  @BeforeEach
  void createLoop() {
    loop = Loop.create();
  }

  @AfterEach
  void closeLoop() {
    loop.close();
  }

  @Test
  void fromCompletionStageFollowsItsValue() {
    CompletableFuture<String> f = new CompletableFuture<>();
    Promise<String> p = Promise.from(f);
    f.complete("x");
    assertThat(p.join()).isEqualTo("x");
  }

  @Test
  void fromCompletionStageTurnsJdkCancellationIntoCancelled() {
    CompletableFuture<String> f = new CompletableFuture<>();
    Promise<String> p = Promise.from(f);
    f.cancel(true);
    assertThat(p.state()).isEqualTo(Promise.State.CANCELLED);
    assertThatThrownBy(p::result).isInstanceOf(CancelledException.class);
  }

  @Test
  void fromCompletionStageUnwrapsCompletionException() {
    IOException io = new IOException("io");
    Promise<String> p = Promise.from(CompletableFuture.<String>supplyAsync(() -> {
      throw new CompletionException(io);
    }));
    assertThatThrownBy(() -> p.join(Duration.ofSeconds(5))).isInstanceOf(CompletionException.class).hasCause(io);
    assertThat(p.exception()).isSameAs(io);
  }

  @Test
  void cancellingAPromiseFromAStageCancelsTheFuture() {
    CompletableFuture<String> f = new CompletableFuture<>();
    Promise<String> p = Promise.from(f);
    p.cancel();
    assertThat(f.isCancelled()).isTrue();
  }

  @Test
  void fromNettyFutureFollowsItsOutcome() {
    DefaultPromise<String> ok = new DefaultPromise<>(GlobalEventExecutor.INSTANCE);
    DefaultPromise<String> bad = new DefaultPromise<>(GlobalEventExecutor.INSTANCE);
    Promise<String> p1 = Promise.from(ok);
    Promise<String> p2 = Promise.from(bad);
    ok.setSuccess("netty");
    IOException io = new IOException("netty failed");
    bad.setFailure(io);
    assertThat(p1.join(Duration.ofSeconds(5))).isEqualTo("netty");
    assertThatThrownBy(() -> p2.join(Duration.ofSeconds(5))).hasCause(io);
  }

  @Test
  void cancellingAPromiseFromANettyFutureCancelsIt() {
    DefaultPromise<String> netty = new DefaultPromise<>(GlobalEventExecutor.INSTANCE);
    Promise.from(netty).cancel();
    assertThat(netty.isCancelled()).isTrue();
  }

  @Test
  void toCompletableFutureSettlesLikeThePromiseAndCancelsIt() {
    CompletablePromise<String> p = loop.newPromise();
    CompletableFuture<String> f = p.toCompletableFuture();
    p.complete("done");
    assertThat(f.join()).isEqualTo("done");

    CompletablePromise<String> q = loop.newPromise();
    q.toCompletableFuture().cancel(true);
    assertThat(q.isCancelled()).isTrue();
  }

  @Test
  void completingFromEightForeignThreadsAtOnceNotifiesEachCallbackOnceOnTheLoopThread() throws Exception {
    for (int round = 0; round < 200; round++) {
      CompletablePromise<Integer> p = loop.newPromise();
      Thread loopThread = loop.submit(() -> Promise.completed(Thread.currentThread())).join();
      AtomicInteger derivations = new AtomicInteger();
      AtomicInteger callbacks = new AtomicInteger();
      Set<Thread> threads = ConcurrentHashMap.newKeySet();
      CountDownLatch both = new CountDownLatch(2);
      p.thenAccept(v -> {
        threads.add(Thread.currentThread());
        derivations.incrementAndGet();
        both.countDown();
      });
      p.addDoneCallback(x -> {
        threads.add(Thread.currentThread());
        callbacks.incrementAndGet();
        both.countDown();
      });
      CountDownLatch go = new CountDownLatch(1);
      AtomicInteger winners = new AtomicInteger();
      Thread[] racers = new Thread[8];
      for (int i = 0; i < racers.length; i++) {
        int value = i;
        racers[i] = new Thread(() -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            return;
          }
          if (p.complete(value)) {
            winners.incrementAndGet();
          }
        });
        racers[i].start();
      }
      go.countDown();
      for (Thread t : racers) {
        t.join();
      }
      both.await();
      loop.submit(() -> Aio.sleep(Duration.ofMillis(1))).join(); // a late duplicate would show by now
      assertThat(winners).hasValue(1);
      assertThat(derivations).hasValue(1);
      assertThat(callbacks).hasValue(1);
      assertThat(threads).containsExactly(loopThread);
    }
  }

  @Test
  void aDerivationBelongsToTheCallersLoopEvenWhenTheSourceBelongsToAnother() {
    try (Loop other = Loop.create()) {
      CompletablePromise<String> remote = other.newPromise();
      Thread[] threads = loop.runUntilComplete(() -> {
        Thread mine = Thread.currentThread();
        Promise<Thread> ranOn = remote.thenApply(s -> Thread.currentThread());
        remote.complete("x");
        return ranOn.thenApply(t -> new Thread[] {mine, t});
      });
      assertThat(threads[1]).isSameAs(threads[0]);
    }
  }

  @Test
  void aDerivationMadeOffEveryLoopBelongsToTheSourcesLoop() {
    CompletablePromise<String> p = loop.newPromise();
    Thread loopThread = loop.submit(() -> Promise.completed(Thread.currentThread())).join();
    Promise<Thread> ranOn = p.thenApply(s -> Thread.currentThread());
    p.complete("x");
    assertThat(ranOn.join()).isSameAs(loopThread);
  }
}
