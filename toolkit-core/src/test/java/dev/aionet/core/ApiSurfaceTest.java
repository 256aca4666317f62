package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.testing.PublicSurface;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The public types of {@code dev.aionet.core} are exactly the listed ones, and no public signature
 * mentions an internal type (as Trio's {@code test_exports} pins its namespace). A new public type
 * is a new promise to users: list it here on purpose, or keep it out of the API package.
 */
class ApiSurfaceTest {
  /** Every public type of dev.aionet.core, nested ones as Outer.Inner; one per line, sorted. */
  private static final Set<String> API = new TreeSet<>(Set.of(
      "Aio",
      "AsyncBarrier",
      "AsyncBoundedSemaphore",
      "AsyncCondition",
      "AsyncEvent",
      "AsyncLifoQueue",
      "AsyncLock",
      "AsyncPriorityQueue",
      "AsyncQueue",
      "AsyncSemaphore",
      "AsyncTimeoutException",
      "CancelledException",
      "CompletablePromise",
      "Coroutine",
      "InvalidStateException",
      "Loop",
      "LoopError",
      "LoopOptions",
      "LoopStats",
      "LoopOptions.Builder",
      "Outcome",
      "Promise",
      "Promise.State",
      "QueueEmptyException",
      "QueueFullException",
      "QueueShutDownException",
      "ReturnWhen",
      "Task",
      "TaskGroup",
      "TaskGroupException",
      "ThrowingBiConsumer",
      "ThrowingBiFunction",
      "ThrowingConsumer",
      "ThrowingFunction",
      "TimeoutScope",
      "TimerHandle",
      "Transport",
      "WaitResult"));

  private static final PublicSurface SURFACE = PublicSurface.of("dev.aionet.core");

  @Test
  void thePublicTypesAreExactlyTheListedOnes() {
    assertThat(SURFACE.differencesFrom(API, "dev.aionet.core.ApiSurfaceTest.API")).isEmpty();
  }

  @Test
  void publicSignaturesNeverMentionInternalTypes() {
    assertThat(SURFACE.internalTypesInSignatures()).isEmpty();
  }
}
