package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class AioRunTest {

  @Test
  void runReturnsTheValueOfMain() {
    // asyncio: asyncio.run(asyncio.sleep(0.01, result="hello")) == "hello"
    assertThat(Aio.run(() -> Aio.sleep(Duration.ofMillis(10), "hello"))).isEqualTo("hello");
  }

  @Test
  void runThrowsAnUncheckedFailureItself() {
    IllegalArgumentException boom = new IllegalArgumentException("boom");
    assertThatThrownBy(() -> Aio.run(() -> Promise.failed(boom))).isSameAs(boom);
  }

  @Test
  void runWrapsACheckedFailureInCompletionException() {
    IOException io = new IOException("io");
    assertThatThrownBy(() -> Aio.run(() -> {
      throw io;
    })).isInstanceOf(CompletionException.class).hasCause(io);
  }

  @Test
  void runThrowsCancelledExceptionWhenMainIsCancelled() {
    assertThatThrownBy(() -> Aio.run(() -> {
      Aio.currentTask().orElseThrow().cancel("stop");
      return Aio.sleep(Duration.ofSeconds(10));
    })).isInstanceOf(CancelledException.class).hasMessage("stop");
  }

  @Test
  void runIsRefusedOnALoopThread() {
    Throwable refused = Aio.run(() -> {
      try {
        Aio.run(() -> Promise.completed(1));
        return Promise.completed(null);
      } catch (IllegalStateException e) {
        return Promise.completed(e);
      }
    });
    assertThat(refused).isInstanceOf(IllegalStateException.class).hasMessageContaining("running event loop");
  }

  @Test
  void runCancelsTheTasksMainLeftBehind() {
    Task<?>[] leftover = new Task<?>[1];
    Aio.run(() -> {
      leftover[0] = Aio.createTask(() -> Aio.sleep(Duration.ofSeconds(30)));
      return Aio.sleep(Duration.ZERO);
    });
    assertThat(leftover[0].isCancelled()).isTrue();
  }

  @Test
  void aSecondRunInTheSameJvmIsFast() {
    Aio.run(() -> Promise.completed(1)); // warm up
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      long start = System.nanoTime();
      Aio.run(() -> Promise.completed(1));
      best = Math.min(best, System.nanoTime() - start);
    }
    // a second Aio.run starts a loop afresh: it must not cost seconds (generous: the best of 5)
    assertThat(Duration.ofNanos(best)).isLessThan(Duration.ofMillis(100));
  }
}
