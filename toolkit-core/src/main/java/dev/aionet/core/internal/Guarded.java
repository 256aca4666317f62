package dev.aionet.core.internal;

import dev.aionet.core.Coroutine;
import dev.aionet.core.Promise;
import java.util.Objects;

/**
 * {@code withLock(body)}: asyncio's {@code async with lock: return await body()}. It waits for
 * the acquisition, runs the body, and releases once the body's promise has settled, whatever its
 * outcome. Cancellation travels inward as for any derivation (to the acquisition, then to the
 * body); if it arrives after the lock was acquired but before the body started, the lock is
 * released and the body never runs; if it arrives after the body settled but before this promise
 * resumed, the lock is released and this promise is cancelled. Either way the lock is never kept.
 *
 * @param <T> the body's value type
 */
public final class Guarded<T> extends Derived<Void, T> {
  private final Coroutine<T> body;
  private final Runnable release;
  private boolean inBody;

  private Guarded(LoopThread owner, PromiseImpl<Void> acquired, Coroutine<T> body, Runnable release) {
    super(owner, acquired);
    this.body = body;
    this.release = release;
  }

  /** Runs {@code body} once {@code acquired} succeeds, then {@code release}. */
  public static <T> Promise<T> start(Promise<Void> acquired, Coroutine<T> body, Runnable release) {
    Objects.requireNonNull(body, "body");
    PromiseImpl<Void> source = Promises.adapt(acquired);
    Guarded<T> guarded = new Guarded<>(source.derivationOwner(), source, body, release);
    source.addListener(guarded);
    return guarded;
  }

  @Override
  void step(Object outcome) {
    if (inBody) {
      releaseThenSettle(outcome);
      return;
    }
    if (outcome instanceof Failure) {
      if (waitingOn.isSuccess()) {
        releaseThenSettle(outcome); // acquired, then cancelled before the body ran
      } else {
        settleLike(outcome);
      }
      return;
    }
    inBody = true;
    Promise<T> running;
    try {
      running = body.call();
      if (running == null) {
        throw new NullPointerException("the body of withLock returned null instead of a promise");
      }
    } catch (Throwable t) {
      releaseThenSettle(Failure.failed(t));
      return;
    }
    awaitInner(running);
  }

  private void releaseThenSettle(Object outcome) {
    try {
      release.run();
    } catch (Throwable t) {
      // asyncio: an exception from __aexit__'s release() replaces the body's outcome.
      settleLike(Failure.failed(t));
      return;
    }
    settleLike(outcome);
  }
}
