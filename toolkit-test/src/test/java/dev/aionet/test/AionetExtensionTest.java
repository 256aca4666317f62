package dev.aionet.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.aionet.core.Aio;
import dev.aionet.core.Loop;
import dev.aionet.testing.DeliberateLeaks;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * AionetExtension, proved by running small test classes through JUnit Jupiter: it injects the
 * loop, and fails a test that left a task running, leaked a ByteBuf or sent an error to the
 * loop's exception handler, each with a message that says which.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AionetExtensionTest {

  @AfterEach
  void forgetTheDeliberateLeak() {
    DeliberateLeaks.forget();
  }

  @ExtendWith(AionetExtension.class)
  static class Injected {
    @Test
    void getsOneTestLoopAsLoopAndTestLoop(Loop loop, TestLoop t) {
      assertThat(t.loop()).isSameAs(loop);
      assertThat(t.run(() -> Aio.sleep(Duration.ofHours(2), "slept"))).isEqualTo("slept");
      assertThat(loop.time()).isEqualTo(7200.0);
    }
  }

  @ExtendWith(AionetExtension.class)
  static class LeftATaskRunning {
    @Test
    void startsATaskThatOutlivesIt(TestLoop t) {
      // awaits what nothing will ever bring (a task awaiting a timer would simply finish: the
      // idle clock jumps to its deadline)
      t.loop().submit(() -> t.loop().newPromise()).setName("forgotten");
    }
  }

  @ExtendWith(AionetExtension.class)
  static class LeakedABuffer {
    @Test
    void dropsABufferWithoutReleasingIt(Loop loop) {
      leak();
    }

    private static void leak() {
      ByteBuf lost = PooledByteBufAllocator.DEFAULT.directBuffer(16);
      lost.writeInt(42);
    }
  }

  @ExtendWith(AionetExtension.class)
  static class ErrorAtTheHandler {
    @Test
    void aCallbackThrows(TestLoop t) {
      t.loop().callSoon(() -> {
        throw new IllegalStateException("boom in a callback");
      });
      t.run(() -> Aio.sleep(Duration.ofSeconds(1)));
    }
  }

  private static EngineExecutionResults runClass(Class<?> testClass) {
    return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute();
  }

  private static Throwable onlyFailure(EngineExecutionResults results) {
    List<Event> failed = results.testEvents().failed().stream().collect(Collectors.toList());
    assertThat(failed).hasSize(1);
    return failed.get(0).getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
  }

  @Test
  void aTestGetsItsLoopInjectedAndPassesWhenItCleansUp() {
    EngineExecutionResults results = runClass(Injected.class);
    results.testEvents().assertStatistics(s -> s.started(1).succeeded(1).failed(0));
  }

  @Test
  void aTaskLeftRunningFailsTheTestNamingTheTask() {
    Throwable failure = onlyFailure(runClass(LeftATaskRunning.class));
    assertThat(failure).isInstanceOf(AssertionError.class)
        .hasMessageContaining("1 task(s) left running when the test ended")
        .hasMessageContaining("forgotten awaits");
  }

  @Test
  void aLeakedByteBufFailsTheTest() {
    Throwable failure = onlyFailure(runClass(LeakedABuffer.class));
    assertThat(failure).isInstanceOf(AssertionError.class)
        .hasMessageContaining("ByteBuf leak(s) reported by Netty")
        .hasMessageContaining("LEAK: ByteBuf.release() was not called");
  }

  @Test
  void anErrorAtTheLoopsExceptionHandlerFailsTheTestWithTheError() {
    Throwable failure = onlyFailure(runClass(ErrorAtTheHandler.class));
    assertThat(failure).isInstanceOf(AssertionError.class)
        .hasMessageContaining("1 error(s) reached the loop's exception handler")
        .hasMessageContaining("boom in a callback");
    assertThat(failure.getSuppressed()).singleElement().isInstanceOf(IllegalStateException.class);
  }
}
