package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Promise and CompletablePromise: states, results, derivations and callbacks (test_futures.py). */
@Timeout(30)
class PromiseTest {
  private Loop loop;

  @BeforeEach
  void createLoop() {
    loop = Loop.create();
  }

  @AfterEach
  void closeLoop() {
    loop.close();
  }

  /** Runs {@code body} on the loop thread and returns what it returns. */
  private <T> T onLoop(java.util.concurrent.Callable<T> body) {
    return loop.runUntilComplete(() -> Promise.completed(body.call()));
  }

  @Nested
  class States {
    @Test
    void aNewPromiseIsPendingAndItsResultIsNotReady() {
      CompletablePromise<String> p = loop.newPromise();
      assertThat(p.state()).isEqualTo(Promise.State.PENDING);
      assertThat(p.isDone()).isFalse();
      // asyncio: fut.result() on a pending future raises InvalidStateError('Result is not ready.')
      assertThatThrownBy(p::result).isInstanceOf(InvalidStateException.class).hasMessage("Result is not ready.");
      assertThatThrownBy(p::exception).isInstanceOf(InvalidStateException.class).hasMessage("Exception is not set.");
    }

    @Test
    void completingSucceedsOnceAndNeverOverwrites() {
      CompletablePromise<String> p = loop.newPromise();
      assertThat(p.complete("a")).isTrue();
      assertThat(p.complete("b")).isFalse();
      assertThat(p.fail(new IOException())).isFalse();
      assertThat(p.cancel()).isFalse();
      assertThat(p.state()).isEqualTo(Promise.State.SUCCEEDED);
      assertThat(p.isSuccess()).isTrue();
      assertThat(p.result()).isEqualTo("a");
      assertThat(p.exception()).isNull();
    }

    @Test
    void aNullValueIsASuccess() {
      CompletablePromise<String> p = loop.newPromise();
      p.complete(null);
      assertThat(p.isSuccess()).isTrue();
      assertThat(p.result()).isNull();
    }

    @Test
    void aFailedPromiseRethrowsAnUncheckedFailureItself() {
      CompletablePromise<String> p = loop.newPromise();
      IllegalArgumentException boom = new IllegalArgumentException("boom");
      p.fail(boom);
      assertThat(p.state()).isEqualTo(Promise.State.FAILED);
      assertThat(p.isFailed()).isTrue();
      assertThat(p.isCancelled()).isFalse();
      assertThatThrownBy(p::result).isSameAs(boom);
      assertThat(p.exception()).isSameAs(boom);
    }

    @Test
    void aCheckedFailureIsWrappedInCompletionExceptionByResult() {
      IOException io = new IOException("io");
      Promise<String> p = Promise.failed(io);
      assertThatThrownBy(p::result).isInstanceOf(CompletionException.class).hasCause(io);
      assertThatThrownBy(p::join).isInstanceOf(CompletionException.class).hasCause(io);
      assertThat(p.exception()).isSameAs(io);
    }

    @Test
    void cancellingAPendingLeafCancelsItAtOnce() {
      CompletablePromise<String> p = loop.newPromise();
      // asyncio: fut.cancel() is True; cancelled() and done(); result() and exception() raise
      assertThat(p.cancel("why")).isTrue();
      assertThat(p.state()).isEqualTo(Promise.State.CANCELLED);
      assertThat(p.isCancelled()).isTrue();
      assertThat(p.isFailed()).isFalse();
      assertThatThrownBy(p::result).isInstanceOf(CancelledException.class).hasMessage("why");
      assertThatThrownBy(p::exception).isInstanceOf(CancelledException.class);
      assertThat(p.cancel()).isFalse();
    }

    @Test
    void aPromiseThatFailedWithACancelledExceptionIsFailedNotCancelled() {
      CompletablePromise<String> p = loop.newPromise();
      p.fail(new CancelledException("child"));
      assertThat(p.state()).isEqualTo(Promise.State.FAILED);
      assertThat(p.isCancelled()).isFalse();
      assertThat(p.exception()).isInstanceOf(CancelledException.class);
    }

    @Test
    void toStringShowsTheState() {
      assertThat(Promise.completed(42).toString()).isEqualTo("Promise(SUCCEEDED: 42)");
      assertThat(loop.newPromise().toString()).isEqualTo("Promise(PENDING)");
    }

    @Test
    void createOffEveryLoopThreadIsRefused() {
      assertThatThrownBy(CompletablePromise::create)
          .isInstanceOf(IllegalStateException.class).hasMessage("no running event loop");
    }

    @Test
    void createOnALoopThreadBelongsToThatThread() {
      Thread[] ran = new Thread[2];
      loop.runUntilComplete(() -> {
        ran[0] = Thread.currentThread();
        CompletablePromise<String> p = CompletablePromise.create();
        Promise<String> derived = p.thenApply(s -> {
          ran[1] = Thread.currentThread();
          return s;
        });
        new Thread(() -> p.complete("x")).start();
        return derived;
      });
      assertThat(ran[1]).isSameAs(ran[0]);
    }
  }

  @Nested
  class Derivations {
    @Test
    void aDerivationOfASettledPromiseRunsInlineOnTheLoopThread() {
      List<String> order = onLoop(() -> {
        List<String> events = new ArrayList<>();
        Promise.completed(1).thenApply(x -> events.add("derivation"));
        events.add("after");
        return events;
      });
      // like `await` on a done future: no turn passes
      assertThat(order).containsExactly("derivation", "after");
    }

    @Test
    void aDerivationOfASettledPromiseRunsInsideTheTaskThatMadeIt() {
      // the core package documentation, "Tasks and errors nobody sees", also when the derivation runs at once
      Task<Boolean> task = onLoop(() -> Aio.createTask(() ->
          Promise.completed(1).thenApply(x -> Aio.currentTask().isPresent())
              .thenCompose(inTask -> Promise.completed(inTask && Aio.currentTask().isPresent()))));
      assertThat(task.join(TestLoop.WAIT)).isTrue();
    }

    @Test
    void composingASettledPromiseWithAPendingOneWaitsForItAndForwardsCancellation() {
      List<Boolean> states = onLoop(() -> {
        CompletablePromise<Integer> inner = CompletablePromise.create();
        Promise<Integer> composed = Promise.completed(1).thenCompose(x -> inner);
        boolean waited = !composed.isDone();
        boolean cancelled = composed.cancel(); // on the owner's thread: travels inward at once
        return List.of(waited, cancelled, inner.isCancelled(), composed.isCancelled());
      });
      assertThat(states).as("waits, cancel accepted, inner cancelled, composed cancelled")
          .containsExactly(true, true, true, true);
    }

    @Test
    void aSettledSourcePassesFailureAndCancellationThroughAndAThrownCancellationCancels() {
      Promise<Integer> failed = onLoop(() -> Promise.<Integer>failed(new IOException("bad")).thenApply(x -> x + 1));
      assertThat(failed.exception()).isInstanceOf(IOException.class);
      Promise<Integer> cancelledSource = onLoop(() -> {
        CompletablePromise<Integer> p = CompletablePromise.create();
        p.cancel();
        return p.thenCompose(x -> Promise.completed(x + 1));
      });
      assertThat(cancelledSource.isCancelled()).isTrue();
      Promise<Integer> thrown = onLoop(() -> Promise.completed(1).thenApply(x -> {
        throw new CancelledException("stop");
      }));
      assertThat(thrown.isCancelled()).as("a thrown CancelledException cancels").isTrue();
    }

    @Test
    void derivationsRunInlineWhenTheSourceSettlesInRegistrationOrder() {
      List<String> order = onLoop(() -> {
        List<String> events = new ArrayList<>();
        CompletablePromise<Integer> p = CompletablePromise.create();
        p.thenApply(x -> events.add("first"));
        p.thenAccept(x -> events.add("second"));
        p.complete(1);
        events.add("after complete");
        return events;
      });
      assertThat(order).containsExactly("first", "second", "after complete");
    }

    @Test
    void thenApplyTransformsTheValueAndAThrowFailsTheDerivedPromise() {
      assertThat(Aio.run(() -> Promise.completed("abc").thenApply(String::length))).isEqualTo(3);
      IOException io = new IOException("bad");
      Promise<Integer> failed = onLoop(() -> Promise.completed("abc").thenApply(s -> {
        throw io;
      }));
      assertThat(failed.exception()).isSameAs(io);
    }

    @Test
    void thenComposeSettlesLikeThePromiseItsFunctionReturns() {
      int v = Aio.run(() -> Promise.completed(2).thenCompose(x -> Aio.sleep(Duration.ofMillis(5), x * 21)));
      assertThat(v).isEqualTo(42);
    }

    @Test
    void thenComposeReturningNullFailsWithNullPointerException() {
      Promise<Object> p = onLoop(() -> Promise.completed(1).thenCompose(x -> null));
      assertThat(p.exception()).isInstanceOf(NullPointerException.class);
    }

    @Test
    void failuresSkipThenApplyAndReachExceptionally() {
      IllegalStateException boom = new IllegalStateException("boom");
      List<String> seen = new ArrayList<>();
      String v = Aio.run(() -> Promise.<String>failed(boom)
          .thenApply(s -> {
            seen.add("thenApply ran");
            return s;
          })
          .exceptionally(e -> e.getMessage() + " recovered"));
      assertThat(v).isEqualTo("boom recovered");
      assertThat(seen).isEmpty();
    }

    @Test
    void exceptionallyComposeRecoversWithAnotherPromise() {
      String v = Aio.run(() -> Promise.<String>failed(new IOException("x"))
          .exceptionallyCompose(e -> Aio.sleep(Duration.ofMillis(1), "again")));
      assertThat(v).isEqualTo("again");
    }

    @Test
    void whenCompleteRunsOnEveryOutcomeAndPassesItThrough() {
      List<Object> seen = new ArrayList<>();
      assertThat(Aio.run(() -> Promise.completed("v").whenComplete((v, e) -> seen.add(v)))).isEqualTo("v");
      IOException io = new IOException("io");
      Promise<String> failed = onLoop(() -> Promise.<String>failed(io).whenComplete((v, e) -> seen.add(e)));
      assertThat(failed.exception()).isSameAs(io);
      assertThat(seen).containsExactly("v", io);
    }

    @Test
    void whenCompleteKeepsTheOriginalFailureWhenItsActionThrows() {
      IOException original = new IOException("original");
      Promise<String> p = onLoop(() -> Promise.<String>failed(original).whenComplete((v, e) -> {
        throw new IllegalStateException("from finally");
      }));
      assertThat(p.exception()).isSameAs(original);
    }

    @Test
    void handleSeesBothValueAndFailure() {
      assertThat(Aio.<Integer>run(() -> Promise.completed(1).handle((v, e) -> v + 1))).isEqualTo(2);
      assertThat(Aio.<Integer>run(() -> Promise.<Integer>failed(new IOException()).handle((v, e) -> -1))).isEqualTo(-1);
    }
  }

  @Nested
  class CancellationAsAnOutcome {
    private Promise<String> cancelled() {
      CompletablePromise<String> p = loop.newPromise();
      p.cancel("stop");
      return p;
    }

    @Test
    void thenApplyThenComposeThenAcceptAndExceptionallySkipTheirFunctionAndEndCancelled() {
      List<String> ran = new ArrayList<>();
      List<Promise<?>> derived = onLoop(() -> List.of(
          cancelled().thenApply(s -> ran.add("apply")),
          cancelled().thenCompose(s -> {
            ran.add("compose");
            return Promise.completed(s);
          }),
          cancelled().thenAccept(s -> ran.add("accept")),
          cancelled().exceptionally(e -> {
            ran.add("exceptionally");
            return "x";
          }),
          cancelled().exceptionallyCompose(e -> {
            ran.add("exceptionallyCompose");
            return Promise.completed("x");
          })));
      assertThat(ran).isEmpty();
      assertThat(derived).allSatisfy(p -> assertThat(p.state()).isEqualTo(Promise.State.CANCELLED));
    }

    @Test
    void whenCompleteRunsAndPassesTheCancellationThrough() {
      List<Throwable> seen = new ArrayList<>();
      Promise<String> p = onLoop(() -> cancelled().whenComplete((v, e) -> seen.add(e)));
      assertThat(seen).singleElement().isInstanceOf(CancelledException.class);
      assertThat(p.isCancelled()).isTrue();
    }

    @Test
    void handleRecoversFromCancellation() {
      // asyncio: try: await fut / except CancelledError: return 42
      Promise<Integer> p = onLoop(() -> cancelled().handle((v, e) -> e instanceof CancelledException ? 42 : 0));
      assertThat(p.result()).isEqualTo(42);
    }

    @Test
    void aFailureWithCancelledExceptionCountsAsCancellationForDerivations() {
      Promise<String> p = onLoop(() -> Promise.<String>failed(new CancelledException("child")).thenApply(s -> s));
      assertThat(p.isCancelled()).isTrue();
      assertThatThrownBy(p::result).isInstanceOf(CancelledException.class).hasMessage("child");
    }

    @Test
    void aFunctionThatThrowsCancelledExceptionCancelsTheDerivedPromise() {
      Promise<String> p = onLoop(() -> Promise.completed("x").thenApply(s -> {
        throw new CancelledException("inside");
      }));
      assertThat(p.isCancelled()).isTrue();
    }
  }

  @Nested
  class DoneCallbacks {
    @Test
    void callbacksNeverRunInsideCompleteAndRunLaterInRegistrationOrder() {
      List<String> order = new ArrayList<>();
      loop.runUntilComplete(() -> {
        CompletablePromise<Integer> p = CompletablePromise.create();
        p.addDoneCallback(x -> order.add("cb1"));
        p.addDoneCallback(x -> order.add("cb2"));
        p.addDoneCallback(x -> order.add("cb3"));
        p.complete(1);
        order.add("after complete");
        return Aio.sleep(Duration.ZERO);
      });
      // asyncio: set_result schedules the callbacks with call_soon, in order
      assertThat(order).containsExactly("after complete", "cb1", "cb2", "cb3");
    }

    @Test
    void aCallbackAddedToASettledPromiseStillRunsOnALaterTurn() {
      List<String> order = new ArrayList<>();
      loop.runUntilComplete(() -> {
        Promise.completed(1).addDoneCallback(x -> order.add("callback"));
        order.add("after add");
        return Aio.sleep(Duration.ZERO);
      });
      assertThat(order).containsExactly("after add", "callback");
    }

    @Test
    void theCallbackReceivesThePromise() {
      List<Promise<?>> seen = new ArrayList<>();
      Promise<?>[] p = new Promise<?>[1];
      loop.runUntilComplete(() -> {
        p[0] = Promise.completed("x").addDoneCallback(seen::add);
        return Aio.sleep(Duration.ZERO);
      });
      assertThat(seen).containsExactly(p[0]);
    }

    @Test
    void aRemovedCallbackDoesNotRun() {
      List<String> order = new ArrayList<>();
      boolean[] removed = new boolean[2];
      loop.runUntilComplete(() -> {
        CompletablePromise<Integer> p = CompletablePromise.create();
        Consumer<Promise<Integer>> cb = x -> order.add("removed one");
        p.addDoneCallback(cb);
        p.addDoneCallback(x -> order.add("kept"));
        removed[0] = p.removeDoneCallback(cb);
        removed[1] = p.removeDoneCallback(cb);
        p.complete(1);
        return Aio.sleep(Duration.ZERO);
      });
      assertThat(order).containsExactly("kept");
      assertThat(removed).containsExactly(true, false);
    }

    @Test
    void callbacksAddedFromManyThreadsWhileThePromiseSettlesEachRunExactlyOnce() throws Exception {
      int threads = 4;
      int perThread = 20_000;
      for (int round = 0; round < 10; round++) {
        CompletablePromise<Integer> p = loop.newPromise();
        java.util.concurrent.atomic.AtomicIntegerArray runs = new java.util.concurrent.atomic.AtomicIntegerArray(threads * perThread);
        java.util.concurrent.atomic.AtomicInteger total = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger added = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<Thread> adders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int first = t * perThread;
          adders.add(new Thread(() -> {
            awaitLatch(go);
            for (int i = first; i < first + perThread; i++) {
              int id = i;
              p.addDoneCallback(x -> {
                runs.incrementAndGet(id);
                total.incrementAndGet();
              });
              added.incrementAndGet();
            }
          }));
        }
        adders.forEach(Thread::start);
        go.countDown();
        // Settles while the adders are still adding: some callbacks land before, some after.
        long deadline = System.nanoTime() + TestLoop.WAIT.toNanos();
        while (added.get() < threads * perThread / 2 && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
        p.complete(1);
        for (Thread adder : adders) {
          adder.join(TestLoop.WAIT.toMillis());
        }
        TestLoop.awaitTrue(() -> total.get() >= threads * perThread, total::get);
        for (int i = 0; i < runs.length(); i++) {
          assertThat(runs.get(i)).as("runs of callback %d in round %d", i, round).isEqualTo(1);
        }
      }
    }

    private void awaitLatch(java.util.concurrent.CountDownLatch latch) {
      try {
        latch.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Test
    void aRemovedCallbackDoesNotRunEvenWhenOthersAreAddedAndRemovedAroundIt() {
      List<String> order = new ArrayList<>();
      loop.runUntilComplete(() -> {
        CompletablePromise<Integer> p = CompletablePromise.create();
        Consumer<Promise<Integer>> first = x -> order.add("first");
        Consumer<Promise<Integer>> middle = x -> order.add("middle");
        Consumer<Promise<Integer>> last = x -> order.add("last");
        p.addDoneCallback(first);
        p.addDoneCallback(middle);
        p.addDoneCallback(last);
        p.addDoneCallback(x -> order.add("kept"));
        p.removeDoneCallback(middle);
        p.removeDoneCallback(first);
        p.removeDoneCallback(last);
        p.complete(1);
        return Aio.sleep(Duration.ZERO);
      });
      assertThat(order).containsExactly("kept");
    }

    @Test
    void aCallbackThatThrowsGoesToTheExceptionHandler() {
      List<LoopError> errors = new ArrayList<>();
      loop.setExceptionHandler(errors::add);
      IllegalStateException boom = new IllegalStateException("boom");
      loop.runUntilComplete(() -> {
        Promise.completed(1).addDoneCallback(x -> {
          throw boom;
        });
        return Aio.sleep(Duration.ofMillis(5));
      });
      assertThat(errors).singleElement().satisfies(e -> {
        assertThat(e.exception()).isSameAs(boom);
        assertThat(e.message()).contains("callback");
      });
    }

    @Test
    void aPromiseOwnedByNoLoopRunsItsCallbackOnTheRegisteringThreadWhenSettled() {
      Thread[] ran = new Thread[1];
      Promise.completed(1).addDoneCallback(x -> ran[0] = Thread.currentThread());
      assertThat(ran[0]).isSameAs(Thread.currentThread());
    }
  }

  @Nested
  class Join {
    @Test
    void joinOnALoopThreadOfAPendingPromiseIsRefused() {
      IllegalStateException refused = onLoop(() -> {
        CompletablePromise<String> p = CompletablePromise.create();
        try {
          p.join();
          return null;
        } catch (IllegalStateException e) {
          return e;
        }
      });
      assertThat(refused).hasMessageContaining("join() on an event loop thread");
    }

    @Test
    void joinOnALoopThreadOfASettledPromiseReturnsAtOnce() {
      assertThat(onLoop(() -> Promise.completed("done").join())).isEqualTo("done");
    }

    @Test
    void joinBlocksAForeignThreadUntilSettled() {
      CompletablePromise<String> p = loop.newPromise();
      loop.callLater(Duration.ofMillis(20), () -> p.complete("late"));
      assertThat(p.join()).isEqualTo("late");
    }

    @Test
    void joinWithATimeoutFailsWithAsyncTimeoutException() {
      CompletablePromise<String> p = loop.newPromise();
      assertThatThrownBy(() -> p.join(Duration.ofMillis(20))).isInstanceOf(AsyncTimeoutException.class);
      // the core package documentation, "Durations": a negative duration counts as zero
      assertThatThrownBy(() -> p.join(Duration.ofSeconds(-5))).isInstanceOf(AsyncTimeoutException.class);
    }

    @Test
    void everyThreadBlockedInJoinWakesWhenThePromiseSettles() throws Exception {
      CompletablePromise<String> p = loop.newPromise();
      List<java.util.concurrent.CompletableFuture<String>> joins = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        joins.add(java.util.concurrent.CompletableFuture.supplyAsync(p::join, runnable -> new Thread(runnable).start()));
      }
      loop.callLater(Duration.ofMillis(50), () -> p.complete("all"));
      for (java.util.concurrent.CompletableFuture<String> join : joins) {
        assertThat(join.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("all");
      }
    }

    @Test
    void aJoinThatTimedOutLeavesThePromiseToALaterJoinAndItsCallbacks() {
      CompletablePromise<String> p = loop.newPromise();
      for (int i = 0; i < 100; i++) {
        assertThatThrownBy(() -> p.join(Duration.ofNanos(1))).isInstanceOf(AsyncTimeoutException.class);
      }
      CompletablePromise<String> seen = loop.newPromise();
      loop.runUntilComplete(() -> {
        p.addDoneCallback(done -> seen.complete(done.result()));
        return Promise.completed(null);
      });
      loop.callLater(Duration.ofMillis(20), () -> p.complete("late"));
      assertThat(p.join(Duration.ofSeconds(10))).isEqualTo("late");
      assertThat(seen.join(Duration.ofSeconds(10))).isEqualTo("late");
    }

    @Test
    void joinOfACancelledPromiseThrowsCancelledException() {
      CompletablePromise<String> p = loop.newPromise();
      p.cancel();
      assertThatThrownBy(p::join).isInstanceOf(CancelledException.class);
    }
  }
}
