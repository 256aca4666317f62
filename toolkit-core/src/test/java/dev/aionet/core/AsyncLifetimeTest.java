package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** No async body's thread outlives its loop, and debug mode names a body that blocks its loop. */
@Timeout(90)
class AsyncLifetimeTest {
  private final List<Thread> bodyThreads = new CopyOnWriteArrayList<>();

  private <T> Task<T> recordedBody(java.util.concurrent.Callable<T> body) {
    return Aio.async(() -> {
      bodyThreads.add(Thread.currentThread());
      return body.call();
    });
  }

  private void assertNoBodyThreadAlive(int expected) {
    assertThat(bodyThreads).hasSize(expected);
    assertThat(bodyThreads).noneMatch(Thread::isAlive);
  }

  @Test
  void bodiesStillAwaitingWhenAioRunEndsAreCancelledAndTheirThreadsEnd() {
    String value = Aio.run(() -> {
      for (int i = 0; i < 20; i++) {
        recordedBody(() -> Aio.await(Aio.sleep(Duration.ofHours(1))));
      }
      return Aio.sleep(Duration.ofMillis(50), "main done");
    });
    assertThat(value).isEqualTo("main done");
    assertNoBodyThreadAlive(20);
  }

  @Test
  void aBodyThatSwallowsEveryCancellationStillEndsWhenTheLoopCloses() {
    List<LoopError> errors = new CopyOnWriteArrayList<>();
    Loop loop = Loop.create();
    loop.setExceptionHandler(errors::add);
    Task<Void> stubborn = loop.submit(() -> recordedBody(() -> {
      while (true) {
        try {
          Aio.await(Aio.sleep(Duration.ofHours(1)));
        } catch (CancelledException swallowed) {
          // asyncio: a coroutine that catches CancelledError and carries on
        }
      }
    }));
    TestLoop.awaitTrue(() -> bodyThreads.size() == 1);
    loop.close(); // waits the grace period for the task, then ends the body
    assertNoBodyThreadAlive(1);
    assertThat(errors).anySatisfy(e -> assertThat(e.message()).contains("ignored cancellation"));
    assertThat(stubborn.isDone()).isFalse();
  }

  @Test
  void aBodyBlockedInThreadSleepIsInterruptedWhenTheLoopCloses() {
    Loop loop = Loop.create();
    List<LoopError> errors = new CopyOnWriteArrayList<>();
    loop.setExceptionHandler(errors::add);
    loop.submit(() -> recordedBody(() -> {
      Thread.sleep(Duration.ofHours(1).toMillis()); // holds its loop thread, as in a coroutine
      return null;
    }));
    TestLoop.awaitTrue(() -> bodyThreads.size() == 1);
    loop.close();
    assertNoBodyThreadAlive(1);
  }

  @Test
  void debugModeReportsABodyThatBlocksItsLoopAsASlowCallbackNamedAfterItsTask() {
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    Logger coreLogger = (Logger) LoggerFactory.getLogger("dev.aionet.core.internal.LoopCore");
    log.start();
    coreLogger.addAppender(log);
    try {
      Aio.run(() -> Aio.async(() -> {
        Aio.await(Aio.sleep(Duration.ZERO));
        Thread.sleep(200); // blocks the loop thread: what debug mode must name
        return null;
      }, "sleepy-body"), LoopOptions.builder().debug(true).slowCallbackDuration(Duration.ofMillis(50)).build());
    } finally {
      coreLogger.detachAppender(log);
    }
    List<String> warnings = log.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList());
    assertThat(warnings).anySatisfy(w -> assertThat(w).startsWith("Executing async body of Task[sleepy-body")
        .contains("took 0."));
  }

  @Test
  void aBodyThatBlocksItsLoopHoldsItOtherTasksWait() {
    List<String> order = Aio.run(() -> {
      List<String> seen = new CopyOnWriteArrayList<>();
      Aio.createTask(() -> Aio.sleep(Duration.ofMillis(1)).thenApply(x -> seen.add("timer task")));
      Task<Void> blocker = Aio.async(() -> {
        Thread.sleep(100); // the 1 ms timer is due meanwhile, but cannot run: the body holds the loop
        seen.add("body after blocking");
        return null;
      });
      return blocker.thenCompose(x -> Aio.sleep(Duration.ofMillis(20))).thenApply(x -> seen);
    });
    assertThat(order).containsExactly("body after blocking", "timer task");
  }
}
