package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aionet.core.internal.ToThread;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ToThreadTest {
  private final TestLoop t = new TestLoop();

  @AfterEach
  void close() {
    t.close();
  }

  @Test
  void theBlockingCodeRunsOffTheLoopAndItsValueResumesOnTheLoopThread() {
    // asyncio test_to_thread: the function runs in another thread; await gives its value
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    AtomicReference<Thread> loopThread = new AtomicReference<>();
    AtomicReference<Thread> resumedOn = new AtomicReference<>();
    Promise<String> p = t.on(() -> {
      loopThread.set(Thread.currentThread());
      return Aio.toThread(() -> {
        ranOn.set(Thread.currentThread());
        return "value";
      }).thenApply(v -> {
        resumedOn.set(Thread.currentThread());
        return v;
      });
    });
    assertThat(TestLoop.await(p)).isEqualTo("value");
    assertThat(ranOn.get()).isNotSameAs(loopThread.get());
    assertThat(resumedOn.get()).isSameAs(loopThread.get());
  }

  @Test
  void aFailureIsThePromisesFailure() {
    // asyncio test_to_thread_exception
    IOException io = new IOException("io");
    Promise<String> p = t.on(() -> Aio.toThread(() -> {
      throw io;
    }));
    TestLoop.settle(p);
    assertThat(p.exception()).isSameAs(io);
  }

  @Test
  void theLoopKeepsRunningWhileTheThreadBlocks() {
    CountDownLatch release = new CountDownLatch(1);
    Promise<Boolean> blocked = t.on(() -> Aio.toThread(() -> release.await(10, TimeUnit.SECONDS)));
    assertThat(TestLoop.await(t.loop.submit(() -> Aio.sleep(Duration.ofMillis(5), "loop alive")))).isEqualTo("loop alive");
    assertThat(blocked.isDone()).isFalse();
    release.countDown();
    assertThat(TestLoop.await(blocked)).isTrue();
  }

  @Test
  void cancellingThePromiseInterruptsTheThread() {
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    CountDownLatch finished = new CountDownLatch(1);
    Promise<Void> p = t.on(() -> Aio.toThread(() -> {
      started.countDown();
      try {
        new CountDownLatch(1).await(); // blocking code that only an interrupt ends
      } catch (InterruptedException e) {
        interrupted.set(true);
      } finally {
        finished.countDown();
      }
      return null;
    }));
    try {
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(p.cancel()).isTrue();
      assertThat(finished.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    assertThat(p.isCancelled()).isTrue();
    assertThat(interrupted).isTrue();
  }

  @Test
  void severalCallsRunConcurrently() {
    CountDownLatch all = new CountDownLatch(3);
    Promise<List<Boolean>> p = t.on(() -> Aio.gather(
        Aio.toThread(() -> meet(all)), Aio.toThread(() -> meet(all)), Aio.toThread(() -> meet(all))));
    assertThat(TestLoop.await(p)).containsExactly(true, true, true);
  }

  private static boolean meet(CountDownLatch all) throws InterruptedException {
    all.countDown();
    return all.await(10, TimeUnit.SECONDS);
  }

  @Test
  void virtualThreadsAreUsedExactlyWhenTheJvmHasThem() {
    boolean jvmHasVirtualThreads;
    try {
      Thread.class.getMethod("ofVirtual");
      jvmHasVirtualThreads = true;
    } catch (NoSuchMethodException e) {
      jvmHasVirtualThreads = false;
    }
    assertThat(ToThread.usesVirtualThreads()).isEqualTo(jvmHasVirtualThreads);
    AtomicBoolean daemonOrVirtual = new AtomicBoolean();
    TestLoop.await(t.on(() -> Aio.toThread(() -> {
      daemonOrVirtual.set(Thread.currentThread().isDaemon()); // virtual threads are daemons too
      return null;
    })));
    assertThat(daemonOrVirtual).isTrue();
  }

  @Test
  void anOffLoopCallIsRefused() {
    assertThatThrownBy(() -> Aio.toThread(() -> 1))
        .isInstanceOf(IllegalStateException.class).hasMessage("no running event loop");
  }
}
