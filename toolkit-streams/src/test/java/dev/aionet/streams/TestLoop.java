package dev.aionet.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Coroutine;
import dev.aionet.core.Loop;
import dev.aionet.core.LoopError;
import dev.aionet.core.LoopOptions;
import dev.aionet.core.Transport;
import io.netty.channel.epoll.Epoll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A loop for one test, over one transport, that records what its exception handler receives
 * and fails the test on {@link #close()} if anything arrived that the test did not
 * {@linkplain #expect expect} (CPython's {@code set_exception_handler(messages.append)} habit).
 */
public final class TestLoop implements AutoCloseable {
  private final Loop loop;
  private final Transport transport;
  private final List<LoopError> errors = new ArrayList<>();
  private final List<Predicate<LoopError>> expected = new ArrayList<>();

  private TestLoop(Transport transport, int threads, boolean debug) {
    this.transport = transport;
    this.loop = Loop.create(LoopOptions.builder().transport(transport).threads(threads).debug(debug).build());
    loop.setExceptionHandler(error -> {
      synchronized (errors) {
        errors.add(error);
        errors.notifyAll();
      }
    });
  }

  /** Every transport this machine has: NIO, and epoll where available. */
  public static Stream<Transport> transports() {
    return Epoll.isAvailable() ? Stream.of(Transport.NIO, Transport.EPOLL) : Stream.of(Transport.NIO);
  }

  public static TestLoop create(Transport transport) {
    return new TestLoop(transport, 1, false);
  }

  public static TestLoop create(Transport transport, int threads) {
    return new TestLoop(transport, threads, false);
  }

  public static TestLoop debug(Transport transport) {
    return new TestLoop(transport, 1, true);
  }

  public Loop loop() {
    return loop;
  }

  public Transport transport() {
    return transport;
  }

  /** Runs {@code main} as a task on the loop and waits for its value. */
  public <T> T run(Coroutine<T> main) {
    return loop.runUntilComplete(main);
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

  public List<LoopError> errors() {
    synchronized (errors) {
      return List.copyOf(errors);
    }
  }

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
