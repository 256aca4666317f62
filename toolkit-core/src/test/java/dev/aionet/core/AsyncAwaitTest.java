package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aionet.core.internal.LoopThread;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Aio.async / Aio.await: sequential code that suspends (asyncio's async def / await). */
@Timeout(60)
class AsyncAwaitTest {

  @Test
  void aBodyReturnsItsValueThroughItsTask() {
    // asyncio: async def f(): await asyncio.sleep(0.01); return 42
    int value = Aio.run(() -> Aio.async(() -> {
      Aio.await(Aio.sleep(Duration.ofMillis(10)));
      return 42;
    }));
    assertThat(value).isEqualTo(42);
  }

  @Test
  void asyncReturnsAtOnceAndTheBodyStartsOnALaterTurn() {
    List<String> order = Aio.run(() -> {
      List<String> seen = new ArrayList<>();
      Task<Void> t = Aio.async(() -> {
        seen.add("body");
        return null;
      });
      seen.add("after async()");
      return t.thenApply(x -> seen);
    });
    assertThat(order).containsExactly("after async()", "body");
  }

  @Test
  void aNamedBodyIsItsTaskAndCurrentTaskAnswersIt() {
    String seen = Aio.run(() -> {
      Task<String> t = Aio.async(() -> Aio.currentTask().orElseThrow().name(), "greeter");
      return t.thenApply(name -> name + " / " + t.name());
    });
    assertThat(seen).isEqualTo("greeter / greeter");
  }

  @Test
  void awaitOfASettledPromiseReturnsWithoutATurnPassing() {
    List<String> order = Aio.run(() -> {
      List<String> seen = new ArrayList<>();
      Aio.createTask(() -> {
        seen.add("other task");
        return Promise.completed(null);
      });
      Task<Void> t = Aio.async(() -> {
        seen.add("body starts");
        seen.add("awaited " + Aio.await(Promise.completed("done")));
        Aio.await(Aio.sleep(Duration.ZERO));
        seen.add("after a turn");
        return null;
      });
      return t.thenApply(x -> seen);
    });
    // The other task was created first, so it runs first; the settled await lets nothing run.
    assertThat(order).containsExactly("other task", "body starts", "awaited done", "after a turn");
  }

  @Test
  void awaitOfAPendingPromiseLetsOtherTasksRunAndResumesWithTheValue() {
    List<String> order = Aio.run(() -> {
      List<String> seen = new ArrayList<>();
      CompletablePromise<String> gate = CompletablePromise.create();
      Task<Void> t = Aio.async(() -> {
        seen.add("waiting");
        seen.add("got " + Aio.await(gate));
        return null;
      });
      Aio.createTask(() -> {
        seen.add("other task completes the gate");
        gate.complete("value");
        return Promise.completed(null);
      });
      return t.thenApply(x -> seen);
    });
    assertThat(order).containsExactly("waiting", "other task completes the gate", "got value");
  }

  @Test
  void awaitThrowsAnUncheckedFailureItself() {
    String caught = Aio.run(() -> Aio.async(() -> {
      try {
        Aio.await(Promise.failed(new IllegalArgumentException("bad")));
        return "no";
      } catch (IllegalArgumentException e) {
        return e.getMessage();
      }
    }));
    assertThat(caught).isEqualTo("bad");
  }

  @Test
  void awaitWrapsACheckedFailureInCompletionException() {
    Throwable caught = Aio.run(() -> Aio.async(() -> {
      CompletablePromise<String> p = CompletablePromise.create();
      Aio.createTask(() -> Aio.sleep(Duration.ofMillis(5)).thenApply(x -> p.fail(new IOException("io"))));
      try {
        Aio.await(p);
        return null;
      } catch (CompletionException e) {
        return e.getCause();
      }
    }));
    assertThat(caught).isInstanceOf(IOException.class).hasMessage("io");
  }

  @Test
  void aBodyThatThrowsFailsItsTaskWithThatException() {
    assertThatThrownBy(() -> Aio.run(() -> Aio.async(() -> {
      Aio.await(Aio.sleep(Duration.ofMillis(1)));
      throw new IOException("broken");
    }))).isInstanceOf(CompletionException.class).hasCauseInstanceOf(IOException.class);
  }

  @Test
  void awaitOnALoopThreadOutsideABodyIsRefused() {
    Throwable refused = Aio.run(() -> {
      try {
        Aio.await(Promise.completed(1));
        return Promise.completed(null);
      } catch (IllegalStateException e) {
        return Promise.completed(e);
      }
    });
    assertThat(refused).isInstanceOf(IllegalStateException.class).hasMessageContaining("outside an async body");
  }

  @Test
  void awaitOffEveryLoopBlocksLikeJoin() {
    try (Loop loop = Loop.create()) {
      Task<String> t = loop.submit(() -> Aio.sleep(Duration.ofMillis(20), "late"));
      assertThat(Aio.await(t)).isEqualTo("late");
      assertThat(Aio.inAsyncBody()).isFalse();
      Task<Void> cancelled = loop.submit(() -> Aio.sleep(Duration.ofHours(1)));
      cancelled.cancel();
      assertThatThrownBy(() -> Aio.await(cancelled)).isInstanceOf(CancelledException.class);
    }
  }

  @Test
  void asyncOffEveryLoopThrowsNoRunningEventLoop() {
    assertThatThrownBy(() -> Aio.async(() -> 1)).isInstanceOf(IllegalStateException.class)
        .hasMessage("no running event loop");
  }

  @Test
  void insideABodyEverythingOfALoopThreadWorks() {
    AtomicReference<Thread> bodyThread = new AtomicReference<>();
    List<Object> seen = Aio.run(() -> {
      Loop outer = Loop.current();
      LoopThread outerThread = LoopThread.current();
      return Aio.async(() -> {
        bodyThread.set(Thread.currentThread());
        List<Object> r = new ArrayList<>();
        r.add(Aio.inAsyncBody());
        r.add(Loop.current() == outer);
        r.add(LoopThread.current() == outerThread);
        Task<Integer> child = Aio.createTask(() -> Aio.sleep(Duration.ofMillis(1), 7));
        Task<Integer> nested = Aio.async(() -> Aio.await(child) + 1);
        r.add(Aio.await(nested));
        CompletablePromise<String> made = CompletablePromise.create();
        Loop.current().callLater(Duration.ofMillis(1), () -> made.complete("later"));
        r.add(Aio.await(made));
        r.add(Aio.await(Aio.sleep(Duration.ZERO, "slept")));
        r.add(Aio.await(Promise.completed(3).thenApply(x -> x * 2)));
        return r;
      });
    });
    assertThat(seen).containsExactly(true, true, true, 8, "later", "slept", 6);
    assertThat(bodyThread.get().getName()).startsWith("aionet-async-");
  }
}
