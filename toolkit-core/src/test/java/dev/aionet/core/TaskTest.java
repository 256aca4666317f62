package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tasks: scheduling, current task, cancellation requests and counters (test_tasks.py). */
@Timeout(30)
class TaskTest {
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
  void createTaskRunsTheCoroutineOnALaterTurnNotInline() {
    List<String> order = new ArrayList<>();
    loop.runUntilComplete(() -> {
      Task<Void> t = Aio.createTask(() -> {
        order.add("task ran");
        return Promise.completed(null);
      });
      order.add("after createTask");
      return t;
    });
    assertThat(order).containsExactly("after createTask", "task ran");
  }

  @Test
  void aTaskHasADefaultNameAndCanBeRenamed() {
    Task<String> t = loop.submit(() -> Promise.completed("x"));
    assertThat(t.name()).startsWith("Task-");
    t.setName("echo-7");
    assertThat(t.name()).isEqualTo("echo-7");
    t.join();
    assertThat(t.toString()).startsWith("Task[echo-7 SUCCEEDED on ");
  }

  @Test
  void createTaskWithANameKeepsIt() {
    String name = loop.runUntilComplete(() -> Aio.createTask(() -> Promise.completed(1), "worker").thenApply(
        x -> Aio.currentTask().map(Task::name).orElse("none")));
    // the derivation belongs to the main task, not to "worker"
    assertThat(name).startsWith("Task-");
  }

  @Test
  void currentTaskIsTheRunningTaskAlsoInsideItsDerivations() {
    Task<?>[] seen = new Task<?>[3];
    Task<Void> main = loop.submit(() -> {
      seen[0] = Aio.currentTask().orElseThrow();
      return Aio.sleep(Duration.ZERO).thenApply(x -> { // resumed on a later turn
        seen[1] = Aio.currentTask().orElseThrow();
        return null;
      });
    });
    main.join();
    assertThat(seen[0]).isSameAs(main);
    assertThat(seen[1]).isSameAs(main);
  }

  @Test
  void currentTaskIsEmptyInsideAPlainCallback() {
    CompletablePromise<Optional<Task<?>>> seen = loop.newPromise();
    loop.callSoon(() -> seen.complete(Aio.currentTask()));
    assertThat(seen.join()).isEmpty();
  }

  @Test
  void twoInterleavedTasksEachSeeThemselvesAfterEveryAwait() {
    List<Boolean> checks = loop.runUntilComplete(() -> {
      List<Boolean> results = new ArrayList<>();
      Coroutine<Void> body = () -> {
        Task<?> me = Aio.currentTask().orElseThrow();
        return Aio.sleep(Duration.ofMillis(1)).thenCompose(x -> {
          results.add(Aio.currentTask().orElseThrow() == me);
          return Aio.sleep(Duration.ZERO);
        }).thenApply(x -> results.add(Aio.currentTask().orElseThrow() == me)).thenApply(x -> null);
      };
      Task<Void> a = Aio.createTask(body);
      Task<Void> b = Aio.createTask(body);
      return a.thenCompose(x -> b).thenApply(x -> results);
    });
    assertThat(checks).hasSize(4).containsOnly(true);
  }

  @Test
  void aTaskCancelledBeforeItsCoroutineRanNeverRunsIt() {
    AtomicBoolean ran = new AtomicBoolean();
    Task<?>[] t = new Task<?>[1];
    loop.runUntilComplete(() -> {
      t[0] = Aio.createTask(() -> {
        ran.set(true);
        return Promise.completed(1);
      });
      assertThat(t[0].cancel()).isTrue();
      assertThat(t[0].isCancelled()).isFalse(); // a request, applied at the step boundary
      return Aio.sleep(Duration.ZERO).thenCompose(x -> Aio.sleep(Duration.ZERO));
    });
    assertThat(ran).isFalse();
    assertThat(t[0].isCancelled()).isTrue();
  }

  @Test
  void cancellingASleepingTaskIsARequestThatCompletesAsCancelledWithTheMessage() {
    CompletablePromise<Void> sleeping = loop.newPromise();
    Task<Void> sleeper = loop.submit(() -> {
      Promise<Void> sleep = Aio.sleep(Duration.ofSeconds(10));
      sleeping.complete(null);
      return sleep;
    });
    Promise<Boolean> requested = loop.submit(() -> sleeping.thenApply(x -> sleeper.cancel("test")));
    assertThat(requested.join()).isTrue();
    // asyncio: the awaiter sees CancelledError('test')
    assertThatThrownBy(sleeper::join).isInstanceOf(CancelledException.class).hasMessage("test");
    assertThat(sleeper.isCancelled()).isTrue();
    assertThat(sleeper.cancel()).isFalse(); // asyncio test_cancel_yield: cancel() of a done task is False
  }

  @Test
  void aTaskThatCatchesCancellationIsNotCancelled() {
    // asyncio test_cancel_task_catching: except CancelledError: return 42
    CompletablePromise<Void> sleeping = loop.newPromise();
    Task<Integer> t = loop.submit(() -> {
      Promise<Integer> caught = Aio.sleep(Duration.ofSeconds(10)).handle((v, e) -> 42);
      sleeping.complete(null);
      return caught;
    });
    sleeping.join();
    t.cancel(); // from this thread: hops onto the loop, where the task awaits the sleep
    assertThat(t.join()).isEqualTo(42);
    assertThat(t.isCancelled()).isFalse();
  }

  @Test
  void aTaskThatCancelsItselfAndReturnsWithoutAwaitingEndsCancelled() {
    // asyncio test_cancel_at_end
    Task<Integer> t = loop.submit(() -> {
      Aio.currentTask().orElseThrow().cancel();
      return Promise.completed(12);
    });
    assertThatThrownBy(t::join).isInstanceOf(CancelledException.class);
    assertThat(t.isCancelled()).isTrue();
  }

  @Test
  void aTaskWhoseChainFailsWithCancelledExceptionIsCancelled() {
    Task<String> t = loop.submit(() -> Promise.failed(new CancelledException("inner")));
    assertThatThrownBy(t::join).isInstanceOf(CancelledException.class);
    assertThat(t.state()).isEqualTo(Promise.State.CANCELLED);
  }

  @Test
  void aCoroutineThatThrowsFailsTheTask() {
    IllegalStateException boom = new IllegalStateException("boom");
    Task<String> t = loop.submit(() -> {
      throw boom;
    });
    assertThatThrownBy(t::join).isSameAs(boom);
    assertThat(t.isFailed()).isTrue();
  }

  @Test
  void cancellingCountsRequestsAndUncancelWithdrawsThem() {
    int[] counts = loop.runUntilComplete(() -> {
      Task<Void> t = Aio.createTask(() -> Promise.completed(null)); // not started yet
      int[] c = new int[4];
      t.cancel();
      t.cancel();
      c[0] = t.cancelling();
      c[1] = t.uncancel();
      c[2] = t.uncancel();
      c[3] = t.uncancel(); // never below zero
      return Promise.completed(c);
    });
    assertThat(counts).containsExactly(2, 1, 0, 0);
  }

  @Test
  void cancellingALeafWakesTheTaskAtOnceSinceDerivationsRunInline() {
    // aionet differs from asyncio here (the core package documentation, "Continuations and callbacks"): the sleep is a leaf that settles inside
    // cancel(), and the task's chain continues inline, so the task is done when cancel() returns.
    Task<Void> t = loop.runUntilComplete(() -> {
      Task<Void> sleeper = Aio.createTask(() -> Aio.sleep(Duration.ofSeconds(10)));
      return Aio.sleep(Duration.ZERO).thenApply(x -> {
        sleeper.cancel();
        return sleeper;
      });
    });
    assertThat(t.isCancelled()).isTrue();
    assertThat(t.cancelling()).isEqualTo(1);
  }

  @Test
  void uncancelToZeroWithdrawsARequestNotYetDelivered() {
    AtomicBoolean ran = new AtomicBoolean();
    @SuppressWarnings("unchecked")
    Task<Integer>[] t = new Task[1];
    loop.runUntilComplete(() -> {
      t[0] = Aio.createTask(() -> {
        ran.set(true);
        return Promise.completed(1);
      });
      t[0].cancel();
      t[0].uncancel();
      return t[0];
    });
    assertThat(ran).isTrue();
    assertThat(t[0].isSuccess()).isTrue();
  }

  @Test
  void anUncancelFromAnotherThreadWithdrawsARequestStillOnItsWayToTheLoop() throws Exception {
    // asyncio: t.cancel(); t.uncancel() before the task's first step: the task runs normally
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    loop.callSoon(() -> {
      held.countDown();
      awaitQuietly(release); // holds the loop thread, so the cancel below cannot reach it yet
    });
    assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
    Task<String> t = loop.submit(() -> Promise.completed("ran"));
    assertThat(t.cancel()).isTrue();
    assertThat(t.cancelling()).as("counted at once, as asyncio's cancel() does").isEqualTo(1);
    assertThat(t.uncancel()).isZero();
    release.countDown();
    assertThat(t.join(Duration.ofSeconds(10))).isEqualTo("ran");
    assertThat(t.cancelling()).isZero();
  }

  @Test
  void cancelAndUncancelRacingFromManyThreadsKeepAsyncioCounts() throws Exception {
    // Each thread pairs every cancel() with an uncancel(), so in any order the count never has to
    // stop at zero: asyncio's counter ends at 0. The task swallows each CancelledException that
    // reaches it and ends normally once released.
    AsyncEvent released = new AsyncEvent();
    Task<String> t = loop.submit(() -> Aio.async(() -> {
      while (true) {
        try {
          Aio.await(released.await());
          return "released";
        } catch (CancelledException ignored) {
          // keeps waiting, as a coroutine that catches CancelledError
        }
      }
    }));
    int threads = 8;
    int pairs = 2_000;
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger unpaired = new AtomicInteger();
    List<Thread> racers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Thread racer = new Thread(() -> {
        awaitQuietly(start);
        for (int j = 0; j < pairs; j++) {
          if (!t.cancel("race")) {
            unpaired.incrementAndGet(); // the task is never done during the race: must not happen
            continue;
          }
          if (t.uncancel() < 0) {
            unpaired.incrementAndGet();
          }
        }
      });
      racer.start();
      racers.add(racer);
    }
    start.countDown();
    for (Thread racer : racers) {
      racer.join(20_000);
      assertThat(racer.isAlive()).isFalse();
    }
    assertThat(unpaired).hasValue(0);
    assertThat(t.cancelling()).as("every cancel withdrawn").isZero();
    loop.submit(() -> Promise.completed(null)).join(); // every cancel still on its way is handled first
    assertThat(t.cancelling()).isZero();
    released.set();
    assertThat(t.join(Duration.ofSeconds(10))).isEqualTo("released");
    assertThat(t.isCancelled()).isFalse();
    assertThat(t.cancelling()).isZero();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("latch not released within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void cancelFromAForeignThreadHopsOntoTheLoop() {
    Task<Void> t = loop.submit(() -> Aio.sleep(Duration.ofSeconds(10)));
    assertThat(t.cancel("from outside")).isTrue();
    assertThatThrownBy(t::join).isInstanceOf(CancelledException.class).hasMessage("from outside");
  }

  @Test
  void aRenameFromAForeignThreadRacingACancelKeepsBothTheNameAndTheCancellation() {
    List<Task<Void>> tasks = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      tasks.add(loop.submit(() -> Aio.sleep(Duration.ofSeconds(10))));
    }
    for (int i = 0; i < tasks.size(); i++) {
      // the cancel runs on the loop thread while this thread renames
      assertThat(tasks.get(i).cancel("stop " + i)).isTrue();
      tasks.get(i).setName("renamed-" + i);
    }
    for (int i = 0; i < tasks.size(); i++) {
      Task<Void> t = tasks.get(i);
      assertThatThrownBy(t::join).isInstanceOf(CancelledException.class).hasMessage("stop " + i);
      assertThat(t.name()).isEqualTo("renamed-" + i);
      assertThat(t.cancelling()).isEqualTo(1);
    }
  }

  @Test
  void allTasksHoldsAFireAndForgetTaskStronglyUntilItIsDone() {
    WeakReference<Task<?>> ref = loop.runUntilComplete(() -> {
      CompletablePromise<Void> neverCompletedByAnyoneElse = CompletablePromise.create();
      Task<Void> t = Aio.createTask(() -> neverCompletedByAnyoneElse);
      return Promise.completed(new WeakReference<Task<?>>(t));
    });
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    // asyncio keeps only weak references to tasks; aionet's loop holds them until done
    assertThat(ref.get()).isNotNull();
    Boolean listed = loop.runUntilComplete(() -> Promise.completed(Aio.allTasks().contains(ref.get())));
    assertThat(listed).isTrue();
  }

  @Test
  void allTasksListsUnfinishedTasksOfTheLoopOnly() {
    Integer count = loop.runUntilComplete(() -> {
      Aio.createTask(() -> Aio.sleep(Duration.ofSeconds(10)));
      Aio.createTask(() -> Aio.sleep(Duration.ofSeconds(10)));
      Task<Integer> done = Aio.createTask(() -> Promise.completed(1));
      return done.thenApply(x -> Aio.allTasks().size());
    });
    assertThat(count).isEqualTo(3); // two sleepers and main
  }

  @Test
  void threeConcurrentSleepsEndInAboutTheLongestOfThem() {
    long start = System.nanoTime();
    loop.runUntilComplete(() -> {
      Task<Void> a = Aio.createTask(() -> Aio.sleep(Duration.ofMillis(200)));
      Task<Void> b = Aio.createTask(() -> Aio.sleep(Duration.ofMillis(100)));
      Task<Void> c = Aio.createTask(() -> Aio.sleep(Duration.ofMillis(300)));
      return a.thenCompose(x -> b).thenCompose(x -> c);
    });
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(550));
  }

  @Test
  void sleepZeroYieldsExactlyOneTurn() {
    List<String> order = new ArrayList<>();
    loop.runUntilComplete(() -> {
      loop.callSoon(() -> order.add("callback queued first"));
      return Aio.sleep(Duration.ZERO).thenApply(x -> order.add("after sleep(0)"));
    });
    assertThat(order).containsExactly("callback queued first", "after sleep(0)");
  }

  @Test
  void sleepReturnsItsResultAndANegativeDelayActsLikeZero() {
    assertThat(loop.runUntilComplete(() -> Aio.sleep(Duration.ofSeconds(-11), "x"))).isEqualTo("x");
  }

  @Test
  void cancellingASleepCancelsItAtOnce() {
    Promise<Void> p = loop.runUntilComplete(() -> {
      Promise<Void> s = Aio.sleep(Duration.ofSeconds(10));
      s.cancel();
      return Promise.completed(s);
    });
    assertThat(p.isCancelled()).isTrue();
  }

  @Test
  void loopBoundFunctionsThrowOffEveryLoop() {
    assertThatThrownBy(() -> Aio.createTask(() -> Promise.completed(1)))
        .isInstanceOf(IllegalStateException.class).hasMessage("no running event loop");
    assertThatThrownBy(() -> Aio.sleep(Duration.ZERO)).hasMessage("no running event loop");
    assertThatThrownBy(Aio::currentTask).hasMessage("no running event loop");
    assertThatThrownBy(Aio::allTasks).hasMessage("no running event loop");
  }
}
