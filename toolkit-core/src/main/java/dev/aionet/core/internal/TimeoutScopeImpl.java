package dev.aionet.core.internal;

import dev.aionet.core.AsyncTimeoutException;
import dev.aionet.core.CancelledException;
import dev.aionet.core.Promise;
import dev.aionet.core.ThrowingFunction;
import dev.aionet.core.TimeoutScope;
import java.time.Duration;
import java.util.Objects;

/**
 * {@code Aio.timeout}/{@code timeoutAt}: asyncio 3.13's {@code Timeout} context manager, as a
 * promise derived from the body's promise.
 *
 * <pre>
 *   scope P ──waits on──► inner I (the body's promise)
 *     │ expiry:          I.cancel()   (own: counted in ownCancels)
 *     │ P.cancel(msg):   I.cancel(msg) (external: counted in externalCancels)
 *     ▼ I settles ──► a cancellation with only own cancels ⇒ P fails with AsyncTimeoutException
 *                     anything else ⇒ P settles like I; an external cancel always wins (gh-86296)
 * </pre>
 *
 * <p>The two counters play the role of asyncio's {@code cancelling()}/{@code uncancel()}: only a
 * cancellation that the scope itself caused, with no external one beside it, becomes a timeout.
 * Once a cancel went in, the outcome is examined one turn later, as an asyncio task resumes one
 * loop iteration after the cancelled future, so a deadline and an external cancel that arrive in
 * the same turn are both counted and the external one wins; nested scopes with the same deadline
 * both report {@code expired()} and only the outermost raises, as in asyncio.
 *
 * <p>State is confined to the owner's loop thread; {@link #cancel} and {@link #reschedule} from
 * another thread hop there.
 *
 * @param <T> the body's value type
 */
public final class TimeoutScopeImpl<T> extends ForwardingPromise<T> implements TimeoutScope, Continuation {
  private volatile double when;
  private volatile boolean expired;
  private volatile boolean finished;
  private int generation;
  private dev.aionet.core.TimerHandle timer;
  private PromiseImpl<T> inner;
  private int ownCancels;
  private int externalCancels;
  /** An external cancel that found the inner promise already settled: it wins over its outcome. */
  private CancelledException pendingExternal;
  private boolean deferred;

  private TimeoutScopeImpl(LoopThread owner) {
    super(owner);
  }

  /** The loop-time deadline {@code delay} from now; {@code null} means none (+infinity). */
  public static double deadlineAfter(Duration delay) {
    if (delay == null) {
      return Double.POSITIVE_INFINITY;
    }
    return (LoopThread.require().nanoTime() + LoopCore.delayNanos(delay)) / 1e9;
  }

  /** As {@link #start(double, ThrowingFunction)} for a body that does not need its scope. */
  public static <T> TimeoutScopeImpl<T> start(double when, dev.aionet.core.Coroutine<T> body) {
    Objects.requireNonNull(body, "body");
    return start(when, scope -> body.call());
  }

  /** Enters a scope with deadline {@code when} (loop time), then calls the body inline. */
  public static <T> TimeoutScopeImpl<T> start(double when, ThrowingFunction<TimeoutScope, Promise<T>> body) {
    LoopThread ctx = LoopThread.require();
    Objects.requireNonNull(body, "body");
    checkWhen(when);
    TimeoutScopeImpl<T> scope = new TimeoutScopeImpl<>(ctx);
    // As asyncio's __aenter__: the deadline is armed before the body runs, so timeout(0)
    // cancels even a body whose first step is sleep(0).
    scope.schedule(when);
    Promise<T> promise;
    try {
      promise = body.apply(scope);
      if (promise == null) {
        throw new NullPointerException("the body of a timeout returned null instead of a promise");
      }
    } catch (Throwable t) {
      scope.finish(Failure.failed(t));
      return scope;
    }
    PromiseImpl<T> i = Promises.adapt(promise);
    scope.inner = i;
    i.markRetrieved();
    i.addListener(scope);
    return scope;
  }

  private static void checkWhen(double when) {
    if (Double.isNaN(when)) {
      throw new IllegalArgumentException("deadline is NaN");
    }
  }

  /** Expires now (waitFor with a timeout of zero or less): cancels the inner promise at once. */
  void expireNow() {
    if (result == null && !finished) {
      expire();
    }
  }

  private void onTimer(int gen) {
    if (gen == generation && result == null && !finished && !expired) {
      expire();
    }
  }

  private void expire() {
    expired = true;
    ownCancels++;
    PromiseImpl<T> i = inner;
    if (i != null && i.result == null) {
      i.cancel(null);
    }
  }

  // ---------------------------------------------------------------- the inner promise settled

  @Override
  public void resume(PromiseImpl<?> source) {
    if (result != null) {
      return;
    }
    if ((ownCancels > 0 || externalCancels > 0) && !deferred) {
      deferred = true;
      owner.callSoon(() -> finish(source.result));
      return;
    }
    finish(source.result);
  }

  private void finish(Object outcome) {
    if (result != null) {
      return;
    }
    finished = true;
    disarm();
    if (pendingExternal != null) {
      // gh-86296: the caller's cancellation wins over a value that arrived meanwhile (it is dropped).
      settleCancelled(pendingExternal);
      return;
    }
    if (outcome instanceof Failure && ownCancels > 0 && externalCancels == 0) {
      Failure f = (Failure) outcome;
      if (f.isCancellation()) {
        tryFail(new AsyncTimeoutException("timeout expired (deadline " + when + " in loop time)", f.cause));
        return;
      }
      // asyncio 3.13 (_insert_timeout_error): an error raised while expiring records the timeout.
      f.cause.addSuppressed(new AsyncTimeoutException("timeout expired (deadline " + when
          + " in loop time) and the body failed while being cancelled"));
    }
    settleLike(outcome);
  }

  // ---------------------------------------------------------------- external cancellation

  @Override
  void cancelRequested() {
    externalCancels++;
  }

  @Override
  PromiseImpl<?> awaitedNow() {
    return inner;
  }

  @Override
  void deferCancel(String message) {
    if (pendingExternal == null) {
      pendingExternal = new CancelledException(message);
    }
  }

  // ---------------------------------------------------------------- TimeoutScope

  @Override
  public double when() {
    return when;
  }

  @Override
  public void reschedule(double newWhen) {
    checkWhen(newWhen);
    if (finished || result != null) {
      throw new IllegalStateException("Cannot change state of finished Timeout");
    }
    if (expired) {
      throw new IllegalStateException("Cannot change state of expiring Timeout");
    }
    if (owner.inEventLoop()) {
      schedule(newWhen);
    } else {
      owner.execute(() -> {
        if (!finished && !expired) {
          schedule(newWhen);
        }
      });
    }
  }

  @Override
  public boolean expired() {
    return expired;
  }

  /** Arms the deadline; a deadline at or before now expires on the next turn (asyncio call_soon). */
  private void schedule(double newWhen) {
    disarm();
    when = newWhen;
    if (newWhen == Double.POSITIVE_INFINITY) {
      return;
    }
    int gen = generation;
    double delay = newWhen - owner.time();
    if (delay <= 0) {
      owner.callSoon(() -> onTimer(gen));
    } else {
      timer = owner.callAt(newWhen, () -> onTimer(gen));
    }
  }

  private void disarm() {
    generation++;
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }

  @Override
  public String toString() {
    String state = finished ? (expired ? "expired" : "finished") : (expired ? "expiring" : "active");
    return "Timeout[" + state + " when=" + when + "] " + super.toString();
  }
}
