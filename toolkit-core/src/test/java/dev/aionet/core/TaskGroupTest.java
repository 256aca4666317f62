package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TaskGroupTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private final TestLoop t = new TestLoop();
  private final AtomicReference<TaskGroup> group = new AtomicReference<>();

  @AfterEach
  void close() {
    t.close();
  }

  private static <T> Promise<T> failAfter(Duration delay, RuntimeException error) {
    return Aio.sleep(delay).thenApply(v -> {
      throw error;
    });
  }

  private static class MyExc extends RuntimeException {
    MyExc(String message) {
      super(message);
    }
  }

  @Test
  void theGroupCompletesOnceEveryChildIsDoneEvenChildrenAddedLater() {
    // asyncio test_taskgroup_01/02: t1 == 42, t2 == 11, a child added after a delay is awaited
    List<Task<Integer>> children = new ArrayList<>();
    Promise<String> p = t.on(() -> Aio.taskGroup(g -> {
      children.add(g.createTask(() -> Aio.sleep(Duration.ofMillis(20), 42)));
      return Aio.sleep(Duration.ofMillis(5)).thenApply(v -> {
        children.add(g.createTask(() -> Aio.sleep(Duration.ofMillis(30), 11)));
        return "body";
      });
    }));
    assertThat(TestLoop.await(p)).isEqualTo("body");
    assertThat(children.get(0).result()).isEqualTo(42);
    assertThat(children.get(1).result()).isEqualTo(11);
  }

  @Test
  void aChildCancelledOnItsOwnIsNoFailure() {
    // asyncio test_taskgroup_03: t1.cancelled(), t2.result() == 11, no error
    List<Task<Integer>> children = new ArrayList<>();
    Promise<Void> p = t.on(() -> Aio.taskGroup(g -> {
      children.add(g.createTask(() -> Aio.sleep(WAIT, 42)));
      children.add(g.createTask(() -> Aio.sleep(Duration.ofMillis(20), 11)));
      return Aio.sleep(Duration.ofMillis(5)).thenAccept(v -> children.get(0).cancel());
    }));
    TestLoop.await(p);
    assertThat(children.get(0).isCancelled()).isTrue();
    assertThat(children.get(1).result()).isEqualTo(11);
  }

  @Test
  void theFirstChildFailureCancelsTheSiblingsAndTheBody() {
    // asyncio test_taskgroup_05/06: ExceptionGroup {ZeroDivisionError}, t2.cancelled(), runner_cancel True
    ArithmeticException zero = new ArithmeticException("/ by zero");
    AtomicReference<Task<Integer>> sibling = new AtomicReference<>();
    AtomicReference<Promise<Void>> bodyWait = new AtomicReference<>();
    AtomicBoolean afterBody = new AtomicBoolean();
    Promise<Void> p = t.on(() -> Aio.taskGroup(g -> {
      g.createTask(() -> failAfter(Duration.ofMillis(20), zero));
      sibling.set(g.createTask(() -> Aio.sleep(WAIT, 2)));
      bodyWait.set(Aio.sleep(WAIT));
      return bodyWait.get().thenAccept(v -> afterBody.set(true));
    }));
    TestLoop.settle(p);
    assertThat(p.exception()).isInstanceOf(TaskGroupException.class);
    TaskGroupException e = (TaskGroupException) p.exception();
    assertThat(e.exceptions()).containsExactly(zero);
    assertThat(e.getCause()).isSameAs(zero);
    assertThat(e.getSuppressed()).containsExactly(zero);
    assertThat(sibling.get().isCancelled()).isTrue();
    assertThat(bodyWait.get().isCancelled()).isTrue();
    assertThat(afterBody).isFalse();
  }

  @Test
  void everyNonCancellationFailureIsGroupedInTheOrderItHappened() {
    // asyncio test_taskgroup_07/08: several failing children => one group with every error
    MyExc first = new MyExc("first");
    MyExc second = new MyExc("second");
    MyExc third = new MyExc("third");
    Promise<Void> p = t.on(() -> Aio.taskGroup(g -> {
      // each fails when cancelled too, so all three end up in the group
      g.createTask(() -> Aio.sleep(Duration.ofMillis(30)).handle((v, e) -> {
        throw second;
      }));
      g.createTask(() -> failAfter(Duration.ofMillis(10), first));
      g.createTask(() -> Aio.sleep(WAIT).handle((v, e) -> {
        throw third;
      }));
      return Aio.sleep(WAIT);
    }));
    TestLoop.settle(p);
    TaskGroupException e = (TaskGroupException) p.exception();
    assertThat(e.exceptions()).hasSize(3).startsWith(first).contains(second, third);
    assertThat(e.getCause()).isSameAs(first);
    assertThat(e.getSuppressed()).containsExactlyElementsOf(e.exceptions());
  }

  @Test
  void aBodyFailureCancelsEveryChildAndIsGroupedWithTheChildrensFailures() {
    // asyncio test_taskgroup_09/10/19: 1/0 in the body => children cancelled; {MyExc, ZeroDivisionError}
    ArithmeticException zero = new ArithmeticException("/ by zero");
    MyExc child = new MyExc("child");
    AtomicReference<Task<Integer>> plain = new AtomicReference<>();
    Promise<Void> p = t.on(() -> Aio.taskGroup(g -> {
      plain.set(g.createTask(() -> Aio.sleep(WAIT, 1)));
      g.createTask(() -> Aio.sleep(WAIT).handle((v, e) -> {
        throw child;
      }));
      return failAfter(Duration.ofMillis(10), zero);
    }));
    TestLoop.settle(p);
    TaskGroupException e = (TaskGroupException) p.exception();
    assertThat(e.exceptions()).containsExactly(zero, child);
    assertThat(plain.get().isCancelled()).isTrue();
  }

  @Test
  void aBodyThatThrowsAtOnceFailsTheGroupInsteadOfThrowing() {
    // asyncio test_taskgroup_09: 1/0 before any await
    ArithmeticException zero = new ArithmeticException("/ by zero");
    AtomicReference<Task<Integer>> child = new AtomicReference<>();
    Promise<Void> p = t.on(() -> Aio.taskGroup(g -> {
      child.set(g.createTask(() -> Aio.sleep(WAIT, 1)));
      throw zero;
    }));
    TestLoop.settle(p);
    assertThat(((TaskGroupException) p.exception()).exceptions()).containsExactly(zero);
    TestLoop.settle(child.get());
    assertThat(child.get().isCancelled()).isTrue();
  }

  @Test
  void cancellingTheGroupCancelsEveryChildAndEndsCancelledWithTheMessage() {
    // asyncio test_cancellation: r.cancel("test") => NUM == 5 children cancelled, CancelledError('test')
    AtomicInteger cancelledChildren = new AtomicInteger();
    Task<Void> runner = t.on(() -> Aio.createTask(() -> Aio.taskGroup(g -> {
      for (int i = 0; i < 5; i++) {
        g.createTask(() -> Aio.sleep(WAIT).whenComplete((v, e) -> {
          if (e instanceof CancelledException) {
            cancelledChildren.incrementAndGet();
          }
        }));
      }
      return Aio.sleep(WAIT);
    })));
    t.loop.submit(() -> Aio.sleep(Duration.ofMillis(20))).join(TestLoop.WAIT);
    runner.cancel("test");
    TestLoop.settle(runner);
    assertThat(runner.isCancelled()).isTrue();
    assertThatThrownBy(runner::result).isInstanceOf(CancelledException.class).hasMessage("test");
    assertThat(cancelledChildren).hasValue(5);
  }

  @Test
  void cancellingTheGroupAfterTheBodyFinishedCancelsTheChildren() {
    // asyncio test_cancellation_in_body / "wrapper is being cancelled while foo is still running"
    AtomicReference<Task<Integer>> child = new AtomicReference<>();
    Promise<String> p = t.on(() -> Aio.taskGroup(g -> {
      child.set(g.createTask(() -> Aio.sleep(WAIT, 1)));
      return Promise.completed("body done");
    }));
    t.runBriefly();
    assertThat(p.cancel("stop")).isTrue();
    TestLoop.settle(p);
    assertThat(p.isCancelled()).isTrue();
    assertThatThrownBy(p::result).hasMessage("stop");
    assertThat(child.get().isCancelled()).isTrue();
  }

  @Test
  void aBodyThatTurnsTheCancellationIntoAnErrorFailsTheGroupWithIt() {
    // asyncio test_taskgroup_18: the body catches CancelledError and raises MyExc => ExceptionGroup {MyExc}
    MyExc mine = new MyExc("mine");
    Task<Void> runner = t.on(() -> Aio.createTask(() -> Aio.taskGroup(g -> {
      g.createTask(() -> Aio.sleep(WAIT));
      return Aio.sleep(WAIT).handle((v, e) -> {
        throw mine;
      });
    })));
    t.runBriefly();
    runner.cancel();
    TestLoop.settle(runner);
    assertThat(runner.exception()).isInstanceOf(TaskGroupException.class);
    assertThat(((TaskGroupException) runner.exception()).exceptions()).containsExactly(mine);
  }

  @Test
  void aVirtualMachineErrorIsNotGrouped() {
    // asyncio test_taskgroup_20: KeyboardInterrupt in the body propagates bare, though a child failed
    InternalError vmError = new InternalError("test");
    Promise<Throwable> p = t.on(() -> Aio.taskGroup(g -> {
      g.createTask(() -> failAfter(Duration.ofMillis(1), new MyExc("child")));
      return Aio.sleep(Duration.ofMillis(20)).handle((v, e) -> {
        throw vmError;
      });
    }).handle((v, e) -> e));
    assertThat(TestLoop.await(p)).isSameAs(vmError);
  }

  @Test
  void aFailingInnerGroupIsOneErrorOfTheOuterGroup() {
    // asyncio test_taskgroup_14: outer {ExceptionGroup}, inner {ValueError}
    IllegalArgumentException value = new IllegalArgumentException("value");
    Promise<Void> p = t.on(() -> Aio.taskGroup(outer -> {
      outer.createTask(() -> Aio.taskGroup(inner -> {
        inner.createTask(() -> failAfter(Duration.ofMillis(10), value));
        return Aio.sleep(WAIT);
      }));
      return Aio.sleep(WAIT);
    }));
    TestLoop.settle(p);
    TaskGroupException outerError = (TaskGroupException) p.exception();
    assertThat(outerError.exceptions()).hasSize(1);
    assertThat(outerError.exceptions().get(0)).isInstanceOf(TaskGroupException.class);
    assertThat(((TaskGroupException) outerError.exceptions().get(0)).exceptions()).containsExactly(value);
  }

  @Test
  void addingAChildAfterTheGroupFinishedIsRefused() {
    // asyncio test_taskgroup_... lifecycle: "TaskGroup ... is finished"
    Promise<Void> p = t.on(() -> Aio.taskGroup(g -> {
      group.set(g);
      return Promise.completed(null);
    }));
    TestLoop.await(p);
    assertThatThrownBy(() -> t.on(() -> group.get().createTask(() -> Promise.completed(1))))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("finished");
  }

  @Test
  void addingAChildWhileTheGroupShutsDownIsRefused() {
    // asyncio: "TaskGroup ... is shutting down" while aborting
    AtomicReference<Throwable> refused = new AtomicReference<>();
    Promise<Void> p = t.on(() -> Aio.taskGroup(g -> {
      g.createTask(() -> failAfter(Duration.ofMillis(5), new MyExc("x")));
      return Aio.sleep(WAIT).handle((v, e) -> {
        try {
          g.createTask(() -> Promise.completed(1));
        } catch (IllegalStateException expected) {
          refused.set(expected);
        }
        return null;
      });
    }));
    TestLoop.settle(p);
    assertThat(refused.get()).hasMessageContaining("shutting down");
  }

  @Test
  void childrenMaySpawnMoreChildrenWhileTheGroupIsOpen() {
    // asyncio test_taskgroup_24 (hydras): nhydras >= 10, then ZeroDivisionError
    AtomicInteger hydras = new AtomicInteger();
    Promise<Void> p = t.on(() -> Aio.taskGroup(g -> {
      g.createTask(() -> hydra(g, hydras));
      return Promise.completed(null);
    }));
    TestLoop.settle(p);
    assertThat(hydras.get()).isGreaterThanOrEqualTo(10);
    assertThat(((TaskGroupException) p.exception()).exceptions()).hasOnlyElementsOfType(ArithmeticException.class);
  }

  private static Promise<Void> hydra(TaskGroup g, AtomicInteger hydras) {
    if (hydras.incrementAndGet() >= 10) {
      return Aio.sleep(Duration.ofMillis(1)).thenAccept(v -> {
        throw new ArithmeticException("/ by zero");
      });
    }
    return Aio.sleep(Duration.ofMillis(1)).thenAccept(v -> g.createTask(() -> hydra(g, hydras)));
  }

  @Test
  void theParentTaskIsNotLeftCancelledAfterTheGroupsErrorWasHandled() {
    // python/cpython#95289: after the group aborted and its error was caught, the task keeps going
    Task<String> task = t.on(() -> Aio.createTask(() -> Aio.taskGroup(g -> {
      g.createTask(() -> failAfter(Duration.ofMillis(5), new MyExc("child")));
      return Aio.sleep(WAIT).handle((v, e) -> {
        throw new MyExc("body turned the cancel into an error");
      });
    }).exceptionally(e -> "caught " + ((TaskGroupException) e).exceptions().size())
        .thenCompose(v -> Aio.sleep(Duration.ofMillis(5), v + ", then slept"))));
    assertThat(TestLoop.await(task)).isEqualTo("caught 2, then slept");
    assertThat(task.isCancelled()).isFalse();
    assertThat(task.cancelling()).isZero();
  }

  @Test
  void aParentTasksCancellationIsNotSwallowedWhenTheGroupEndsWithErrors() {
    // python/cpython#116720: errors win over the cancellation, but the parent task stays cancelled:
    // its next await is cancelled and the code after it never runs
    AtomicReference<Throwable> caught = new AtomicReference<>();
    AtomicBoolean reachedEnd = new AtomicBoolean();
    Task<Void> task = t.on(() -> Aio.createTask(() -> Aio.taskGroup(g -> {
      g.createTask(() -> Aio.sleep(WAIT).handle((v, e) -> {
        throw new MyExc("child fails when cancelled");
      }));
      return Aio.sleep(WAIT);
    }).exceptionally(e -> {
      caught.set(e);
      return null;
    }).thenCompose(v -> Aio.sleep(WAIT)).thenAccept(v -> reachedEnd.set(true))));
    t.runBriefly();
    task.cancel();
    TestLoop.settle(task);
    assertThat(caught.get()).isInstanceOf(TaskGroupException.class);
    assertThat(task.isCancelled()).isTrue();
    assertThat(reachedEnd).isFalse();
  }

  @Test
  void anEnclosingGroupsAbortIsNotSwallowedByANestedGroupThatEndsWithErrors() {
    // python/cpython#116720 ("nested TaskGroups may silently swallow cancellation request from parent TaskGroup")
    MyExc outerChild = new MyExc("outer child");
    AtomicReference<Throwable> caught = new AtomicReference<>();
    AtomicBoolean reachedEnd = new AtomicBoolean();
    long start = System.nanoTime();
    Promise<Void> p = t.on(() -> Aio.taskGroup(outer -> {
      outer.createTask(() -> failAfter(Duration.ofMillis(20), outerChild));
      return Aio.taskGroup(inner -> {
        inner.createTask(() -> Aio.sleep(WAIT).handle((v, e) -> {
          throw new MyExc("inner child fails when cancelled");
        }));
        return Aio.sleep(WAIT);
      }).exceptionally(e -> {
        caught.set(e);
        return null;
      }).thenCompose(v -> Aio.sleep(WAIT)).thenAccept(v -> reachedEnd.set(true));
    }));
    TestLoop.settle(p);
    assertThat(caught.get()).isInstanceOf(TaskGroupException.class);
    assertThat(((TaskGroupException) p.exception()).exceptions()).containsExactly(outerChild);
    assertThat(reachedEnd).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void createTaskOffTheLoopThreadIsRefused() {
    Promise<Void> p = t.on(() -> Aio.taskGroup(g -> {
      group.set(g);
      return Aio.sleep(Duration.ofMillis(50));
    }));
    assertThatThrownBy(() -> group.get().createTask(() -> Promise.completed(1)))
        .isInstanceOf(IllegalStateException.class);
    TestLoop.await(p);
  }
}
