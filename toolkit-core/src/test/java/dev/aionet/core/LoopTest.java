package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** The event loop: creation, threads, callbacks, timers, the exception handler and close(). */
@Timeout(60)
class LoopTest {

  @Test
  void currentIsTheLoopOnItsThreadsAndAbsentElsewhere() {
    try (Loop loop = Loop.create()) {
      assertThat(Loop.currentIfAny()).isEmpty();
      assertThatThrownBy(Loop::current).isInstanceOf(IllegalStateException.class).hasMessage("no running event loop");
      Loop seen = loop.runUntilComplete(() -> Promise.completed(Loop.current()));
      Optional<Loop> seenIfAny = loop.runUntilComplete(() -> Promise.completed(Loop.currentIfAny()));
      assertThat(seen).isSameAs(loop);
      assertThat(seenIfAny).containsSame(loop);
    }
  }

  @Test
  void autoPicksEpollWhereAvailableElseNio() {
    try (Loop loop = Loop.create()) {
      assertThat(loop.transport()).isEqualTo(Epoll.isAvailable() ? Transport.EPOLL : Transport.NIO);
    }
    try (Loop nio = Loop.create(LoopOptions.builder().transport(Transport.NIO).build())) {
      assertThat(nio.transport()).isEqualTo(Transport.NIO);
      assertThat(nio.runUntilComplete(() -> Aio.sleep(Duration.ofMillis(1), "nio works"))).isEqualTo("nio works");
    }
  }

  @Test
  void submitsFromAForeignThreadSpreadOverAllThreads() {
    try (Loop loop = Loop.create(LoopOptions.builder().threads(4).build())) {
      Set<Thread> threads = ConcurrentHashMap.newKeySet();
      List<Task<Void>> tasks = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        tasks.add(loop.submit(() -> {
          threads.add(Thread.currentThread());
          return Aio.sleep(Duration.ZERO);
        }));
      }
      tasks.forEach(Task::join);
      assertThat(threads).hasSize(4);
    }
  }

  @Test
  void newPromiseFromAForeignThreadRunsItsCallbacksOnALoopThread() {
    try (Loop loop = Loop.create()) {
      Thread loopThread = loop.submit(() -> Promise.completed(Thread.currentThread())).join();
      CompletablePromise<String> p = loop.newPromise();
      Promise<Thread> ranOn = p.thenApply(s -> Thread.currentThread());
      p.complete("x");
      assertThat(ranOn.join()).isSameAs(loopThread);
    }
  }

  @Test
  void callSoonRunsCallbacksInOrderOnTheLoop() {
    try (Loop loop = Loop.create()) {
      List<Integer> order = new CopyOnWriteArrayList<>();
      CompletablePromise<Void> done = loop.newPromise();
      for (int i = 0; i < 5; i++) {
        int n = i;
        loop.callSoon(() -> order.add(n));
      }
      loop.callSoon(() -> done.complete(null));
      done.join();
      assertThat(order).containsExactly(0, 1, 2, 3, 4);
    }
  }

  @Test
  void callLaterRunsAfterTheDelayAndCanBeCancelled() {
    try (Loop loop = Loop.create()) {
      double before = loop.time();
      CompletablePromise<Double> fired = loop.newPromise();
      TimerHandle handle = loop.callLater(Duration.ofMillis(30), () -> fired.complete(loop.time()));
      assertThat(handle.when()).isBetween(before + 0.029, before + 5);
      assertThat(fired.join()).isGreaterThanOrEqualTo(before + 0.029);

      List<String> ran = new CopyOnWriteArrayList<>();
      TimerHandle cancelled = loop.callLater(Duration.ofMillis(20), () -> ran.add("should not run"));
      cancelled.cancel();
      assertThat(cancelled.isCancelled()).isTrue();
      loop.submit(() -> Aio.sleep(Duration.ofMillis(60))).join();
      assertThat(ran).isEmpty();
    }
  }

  @Test
  void timeIsMonotonicSeconds() {
    try (Loop loop = Loop.create()) {
      double a = loop.time();
      loop.submit(() -> Aio.sleep(Duration.ofMillis(20))).join();
      assertThat(loop.time() - a).isBetween(0.019, 10.0);
    }
  }

  @Test
  void aCallbackThatThrowsReachesTheExceptionHandler() {
    try (Loop loop = Loop.create()) {
      List<LoopError> errors = new CopyOnWriteArrayList<>();
      loop.setExceptionHandler(errors::add);
      IllegalStateException boom = new IllegalStateException("boom");
      loop.callSoon(() -> {
        throw boom;
      });
      loop.submit(() -> Aio.sleep(Duration.ofMillis(5))).join();
      assertThat(errors).singleElement().satisfies(e -> {
        assertThat(e.exception()).isSameAs(boom);
        assertThat(e.message()).startsWith("Exception in callback");
        assertThat(e.task()).isEmpty();
        assertThat(e.channel()).isEmpty();
      });
    }
  }

  @Test
  void theDefaultExceptionHandlerLogsThroughSlf4j() {
    Logger logger = (Logger) LoggerFactory.getLogger("dev.aionet.core.Loop");
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    logger.setAdditive(false); // the report is captured here, not printed: a passing build shows no ERROR
    try (Loop loop = Loop.create()) {
      loop.setExceptionHandler(e -> {
        throw new AssertionError("replaced below");
      });
      loop.setExceptionHandler(null); // restores the default
      loop.callSoon(() -> {
        throw new IllegalStateException("logged");
      });
      loop.submit(() -> Aio.sleep(Duration.ofMillis(5))).join();
    } finally {
      logger.setAdditive(true);
      logger.detachAppender(appender);
    }
    assertThat(appender.list).anySatisfy(e -> {
      assertThat(e.getLevel().toString()).isEqualTo("ERROR");
      assertThat(e.getFormattedMessage()).startsWith("Exception in callback");
      assertThat(e.getThrowableProxy().getMessage()).isEqualTo("logged");
    });
  }

  @Test
  void closeCancelsWhatStillRunsAndStopsTheThreadsQuickly() {
    Loop loop = Loop.create();
    Task<Void> sleeper = loop.submit(() -> Aio.sleep(Duration.ofMinutes(10)));
    Thread loopThread = loop.submit(() -> Promise.completed(Thread.currentThread())).join();
    long start = System.nanoTime();
    loop.close();
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(sleeper.isCancelled()).isTrue();
    try {
      loopThread.join(2000); // the termination future completes just before the thread exits
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    assertThat(loopThread.isAlive()).isFalse();
    assertThat(took).isLessThan(Duration.ofSeconds(2)); // no multi-second quiet period
    loop.close(); // twice is harmless
  }

  @Test
  void closeReportsATaskThatIgnoresCancellationAfterFiveSeconds() {
    Loop loop = Loop.create();
    List<LoopError> errors = new CopyOnWriteArrayList<>();
    loop.setExceptionHandler(errors::add);
    // a stubborn task: recovers from every cancellation and waits again
    Task<Void> stubborn = loop.submit(LoopTest::ignoreCancellation);
    loop.submit(() -> Aio.sleep(Duration.ofMillis(5))).join();
    long start = System.nanoTime();
    loop.close();
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took).isBetween(Duration.ofMillis(4900), Duration.ofSeconds(12));
    assertThat(errors).anySatisfy(e -> {
      assertThat(e.message()).contains("ignored cancellation");
      assertThat(e.task()).containsSame(stubborn);
    });
  }

  private static Promise<Void> ignoreCancellation() {
    return Aio.sleep(Duration.ofMinutes(10)).handle((v, e) -> null).thenCompose(x -> ignoreCancellation());
  }

  @Test
  void runUntilCompleteAndCloseAreRefusedOnALoopThread() {
    try (Loop loop = Loop.create()) {
      List<Throwable> refused = loop.runUntilComplete(() -> {
        List<Throwable> errors = new ArrayList<>();
        try {
          loop.runUntilComplete(() -> Promise.completed(1));
        } catch (IllegalStateException e) {
          errors.add(e);
        }
        try {
          loop.close();
        } catch (IllegalStateException e) {
          errors.add(e);
        }
        return Promise.completed(errors);
      });
      assertThat(refused).hasSize(2);
    }
  }

  @Test
  void aWrappedGroupRunsTasksAndSurvivesClose() {
    MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    try {
      Loop loop = Loop.wrap(group);
      assertThat(loop.group()).isSameAs(group);
      Loop seen = loop.runUntilComplete(() -> Aio.sleep(Duration.ofMillis(1)).thenApply(x -> Loop.current()));
      assertThat(seen).isSameAs(loop);
      loop.close();
      assertThat(group.isShuttingDown()).isFalse();
      assertThat(group.submit(() -> "still running").syncUninterruptibly().getNow()).isEqualTo("still running");
    } finally {
      group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @Test
  void debugModeIsSetByOptionsOrAtRunTime() {
    try (Loop loop = Loop.create(LoopOptions.builder().debug(true).build())) {
      assertThat(loop.isDebug()).isTrue();
      loop.setDebug(false);
      assertThat(loop.isDebug()).isFalse();
    }
  }

  @Test
  void optionsRejectNonsense() {
    assertThatThrownBy(() -> LoopOptions.builder().threads(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LoopOptions.builder().transport(null)).isInstanceOf(NullPointerException.class);
  }
}
