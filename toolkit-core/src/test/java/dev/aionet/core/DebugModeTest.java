package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.util.ResourceLeakDetector;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** Debug mode and "Task exception was never retrieved" (asyncio's debug mode, test_tasks.py). */
@Timeout(60)
class DebugModeTest {
  private final List<LoopError> errors = new CopyOnWriteArrayList<>();
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger coreLogger = (Logger) LoggerFactory.getLogger("dev.aionet.core.internal.LoopCore");

  @BeforeEach
  void captureTheLog() {
    log.start();
    coreLogger.addAppender(log);
  }

  @AfterEach
  void releaseTheLog() {
    coreLogger.detachAppender(log);
  }

  private Loop loop(boolean debug) {
    Loop loop = Loop.create(LoopOptions.builder().debug(debug).slowCallbackDuration(Duration.ofMillis(50)).build());
    loop.setExceptionHandler(errors::add);
    return loop;
  }

  private static void blockTheLoopFor(Duration d) {
    long end = System.nanoTime() + d.toNanos();
    while (System.nanoTime() < end) {
      Thread.onSpinWait(); // deliberately blocks the loop thread: that is what is reported
    }
  }

  private List<String> warnings() {
    return log.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList());
  }

  @Test
  void aFailedTaskNobodyLookedAtIsReportedOnceItIsCollected() {
    try (Loop loop = loop(false)) {
      startAFailingTaskAndForgetIt(loop, "lost");
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (errors.isEmpty() && System.nanoTime() < deadline) {
        System.gc();
        afterWhatIsQueued(loop); // the report is queued on the loop once the task is collected
      }
      assertThat(errors).singleElement().satisfies(e -> {
        // asyncio: {'message': 'Task exception was never retrieved', 'exception': exc}
        assertThat(e.message()).startsWith("Task exception was never retrieved");
        assertThat(e.exception()).isInstanceOf(IllegalStateException.class).hasMessage("lost");
      });
    }
  }

  private static void startAFailingTaskAndForgetIt(Loop loop, String message) {
    awaitDone(loop.submit(() -> Promise.failed(new IllegalStateException(message))));
  }

  /**
   * Waits until each promise is done without looking at its outcome (isDone retrieves nothing),
   * polling with a deadline.
   */
  private static void awaitDone(Promise<?>... promises) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    for (Promise<?> p : promises) {
      while (!p.isDone()) {
        assertThat(System.nanoTime()).as("%s done within 10 s", p).isLessThan(deadline);
        Thread.onSpinWait();
      }
    }
  }

  /**
   * Returns once the loop has run everything queued on it before this call (callbacks run in the
   * order they were queued), and whatever it reports about them.
   */
  private static void afterWhatIsQueued(Loop loop) {
    CompletablePromise<Void> reached = loop.newPromise();
    loop.callSoon(() -> reached.complete(null));
    reached.join(Duration.ofSeconds(10));
  }

  @Test
  void anUnretrievedFailureIsReportedWhenTheLoopClosesWithTheCreationSiteInDebugMode() {
    Task<String> failed;
    try (Loop loop = loop(true)) {
      failed = loop.submit(() -> Promise.failed(new IllegalArgumentException("nobody asked")));
      awaitDone(failed);
      afterWhatIsQueued(loop);
      assertThat(errors).isEmpty(); // failed, but still reachable and the loop still open
    }
    assertThat(errors).singleElement().satisfies(e -> {
      assertThat(e.message()).startsWith("Task exception was never retrieved: task " + failed.name());
      assertThat(e.message()).contains("task created at:")
          .contains("anUnretrievedFailureIsReportedWhenTheLoopClosesWithTheCreationSiteInDebugMode");
      assertThat(e.exception()).hasMessage("nobody asked");
    });
  }

  @Test
  void observedFailuresAndCancellationsAreNeverReported() {
    try (Loop loop = loop(false)) {
      Task<String> viaException = loop.submit(() -> Promise.failed(new IllegalStateException("a")));
      Task<String> viaCallback = loop.submit(() -> Promise.failed(new IllegalStateException("b")));
      Task<String> viaDerivation = loop.submit(() -> Promise.failed(new IllegalStateException("c")));
      Task<String> viaAwait = loop.submit(() -> Aio.createTask(() -> Promise.failed(new IllegalStateException("d"))));
      Task<String> cancelled = loop.submit(() -> Aio.sleep(Duration.ofSeconds(10), "x"));
      viaCallback.addDoneCallback(p -> { });
      viaDerivation.handle((v, e) -> null);
      cancelled.cancel();
      awaitDone(viaException, viaCallback, viaDerivation, viaAwait, cancelled);
      assertThat(viaException.exception()).hasMessage("a"); // retrieved after it failed
      assertThat(viaAwait.exception()).hasMessage("d"); // the inner task was retrieved by its awaiter
      startAFailingTaskAndForgetIt(loop, "the only one");
      afterWhatIsQueued(loop);
    }
    assertThat(errors).singleElement().satisfies(e -> assertThat(e.exception()).hasMessage("the only one"));
  }

  @Test
  void aSlowCallbackIsReportedWithWhatItWasAndHowLongItTook() {
    try (Loop loop = loop(true)) {
      loop.callSoon(new SlowCallback());
      afterWhatIsQueued(loop);
    }
    assertThat(warnings()).anySatisfy(m -> assertThat(m).startsWith("Executing ")
        .contains("SlowCallback").containsPattern("took 0\\.\\d{3} seconds"));
  }

  private static final class SlowCallback implements Runnable {
    @Override
    public void run() {
      blockTheLoopFor(Duration.ofMillis(120));
    }

    @Override
    public String toString() {
      return "SlowCallback";
    }
  }

  @Test
  void aSlowTaskStepIsReportedWithTheTaskNameAndWhereItWasCreated() {
    try (Loop loop = loop(true)) {
      loop.runUntilComplete(() -> Aio.createTask(() -> {
        blockTheLoopFor(Duration.ofMillis(120));
        return Promise.completed(null);
      }, "slowpoke"));
    }
    assertThat(warnings()).anySatisfy(m -> assertThat(m).contains("step of Task[slowpoke")
        .contains("task created at:").contains("aSlowTaskStepIsReportedWithTheTaskNameAndWhereItWasCreated"));
  }

  @Test
  void aSlowContinuationAfterASleepIsReportedWithItsTask() {
    try (Loop loop = loop(true)) {
      loop.runUntilComplete(() -> Aio.createTask(() -> Aio.sleep(Duration.ofMillis(1)).thenApply(x -> {
        blockTheLoopFor(Duration.ofMillis(120));
        return x;
      }), "sleepy"));
    }
    assertThat(warnings()).anySatisfy(m -> assertThat(m).contains("wake-up after sleep").contains("Task[sleepy"));
  }

  @Test
  void nothingIsTimedOrReportedWithDebugOff() {
    try (Loop loop = loop(false)) {
      loop.callSoon(new SlowCallback());
      afterWhatIsQueued(loop);
    }
    assertThat(warnings()).noneMatch(m -> m.startsWith("Executing"));
  }

  @Test
  void debugModeTurnsNettysLeakDetectorToParanoid() {
    ResourceLeakDetector.Level before = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
    try (Loop loop = loop(false)) {
      assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.SIMPLE);
      loop.setDebug(true);
      assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
    } finally {
      ResourceLeakDetector.setLevel(before);
    }
  }

  @Test
  void theSystemPropertyTurnsDebugModeOn() {
    System.setProperty("aionet.debug", "true");
    try (Loop loop = Loop.create()) {
      assertThat(loop.isDebug()).isTrue();
    } finally {
      System.clearProperty("aionet.debug");
    }
    try (Loop loop = Loop.create()) {
      assertThat(loop.isDebug()).isFalse();
    }
  }
}
