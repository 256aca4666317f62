package dev.aionet.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Loop;
import dev.aionet.core.LoopError;
import dev.aionet.core.LoopOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A loop for one test that records what its exception handler receives and fails the test on
 * {@link #close()} if anything arrived that the test did not {@linkplain #expect expect}
 * (CPython's {@code set_exception_handler(messages.append)} habit). The modules' own test loops
 * build on it.
 */
public class RecordingLoop implements AutoCloseable {
  private final Loop loop;
  private final List<LoopError> errors = new ArrayList<>();
  private final List<Predicate<LoopError>> expected = new ArrayList<>();

  public RecordingLoop(LoopOptions options) {
    this.loop = Loop.create(options);
    loop.setExceptionHandler(error -> {
      synchronized (errors) {
        errors.add(error);
        errors.notifyAll();
      }
    });
  }

  public Loop loop() {
    return loop;
  }

  /** Declares that errors matching {@code which} are part of the test. */
  public void expect(Predicate<LoopError> which) {
    expected.add(which);
  }

  /** Waits until {@code count} errors arrived, or fails after {@code timeout}. */
  public List<LoopError> awaitErrors(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (errors) {
      while (errors.size() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("expected " + count + " loop errors, got " + errors);
        }
        errors.wait(Math.max(1, left / 1_000_000));
      }
      return List.copyOf(errors);
    }
  }

  /** The errors received so far. */
  public List<LoopError> errors() {
    synchronized (errors) {
      return List.copyOf(errors);
    }
  }

  /** Closes the loop, then fails if an error arrived that the test did not expect. */
  @Override
  public void close() {
    loop.close();
    List<LoopError> unexpected = new ArrayList<>();
    for (LoopError e : errors()) {
      if (expected.stream().noneMatch(p -> p.test(e))) {
        unexpected.add(e);
      }
    }
    assertThat(unexpected).as("errors the loop's exception handler received unexpectedly").isEmpty();
  }
}
