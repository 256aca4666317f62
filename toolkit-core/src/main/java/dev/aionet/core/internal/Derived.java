package dev.aionet.core.internal;

import dev.aionet.core.CancelledException;
import dev.aionet.core.Promise;
import dev.aionet.core.ThrowingBiConsumer;
import dev.aionet.core.ThrowingBiFunction;
import dev.aionet.core.ThrowingConsumer;
import dev.aionet.core.ThrowingFunction;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A promise derived from another ({@code thenApply}, {@code thenCompose}, ...): one object is both
 * the derived promise and the continuation registered on its source, so a derivation costs one
 * allocation besides the function.
 *
 * <p><b>Cancellation travels inward.</b> {@link #cancel(String)} forwards the request to the
 * promise this one waits on now ({@link #waitingOn}: the source, then, for the compose kinds, the
 * promise the function returned). If that one is already settled but this continuation has not
 * run yet, the request is kept and the continuation sees a cancellation instead of the source's
 * outcome, as an asyncio task with {@code _must_cancel} gets {@code CancelledError} thrown in at
 * its next step.
 *
 * @param <S> the source's value type
 * @param <R> the derived value type
 */
abstract class Derived<S, R> extends ForwardingPromise<R> implements Continuation {
  /** The task that was running when the derivation was made. */
  private final TaskImpl<?> task;

  private static final VarHandle WAITING_ON;

  static {
    try {
      WAITING_ON = MethodHandles.lookup().findVarHandle(Derived.class, "waitingOn", PromiseImpl.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  volatile PromiseImpl<?> waitingOn;
  private volatile CancelledException pendingCancel;

  Derived(LoopThread owner, PromiseImpl<S> source) {
    super(owner);
    // A release store, not a volatile one: nobody can cancel this promise before the constructor
    // returns, so the fence would protect nothing (every pending derivation pays it otherwise).
    WAITING_ON.setRelease(this, source);
    this.task = owner != null && owner.inEventLoop() ? owner.currentTask : null;
  }

  @Override
  public final void resume(PromiseImpl<?> source) {
    resume(source, true);
  }

  @Override
  public final void resumeAfterDepthBound(PromiseImpl<?> source) {
    resume(source, false);
  }

  private void resume(PromiseImpl<?> source, boolean applyPendingCancel) {
    if (result != null) {
      return;
    }
    Object outcome = source.result;
    CancelledException requested = pendingCancel;
    if (requested != null && applyPendingCancel) {
      pendingCancel = null;
      outcome = Failure.cancelled(requested);
    }
    LoopThread ctx = owner;
    if (ctx == null) {
      step(outcome);
      return;
    }
    TaskImpl<?> previous = ctx.enterTask(task);
    try {
      step(outcome);
    } finally {
      ctx.exitTask(previous);
    }
  }

  /** Runs this derivation's function on the awaited outcome and settles, or awaits more. */
  abstract void step(Object outcome);

  /** Settles with what a function threw; a thrown CancelledException cancels. */
  final void settleThrown(Throwable t) {
    settleLike(Failure.failed(t));
  }

  /**
   * Calls a compose function: the promise it returned, or a settled failed one when it threw or
   * returned null.
   */
  static <A, R> PromiseImpl<R> callCompose(ThrowingFunction<? super A, ? extends Promise<R>> fn, A arg) {
    Promise<R> inner;
    try {
      inner = fn.apply(arg);
    } catch (Throwable t) {
      return new PromiseImpl<>(null, Failure.failed(t));
    }
    if (inner == null) {
      return new PromiseImpl<>(null, Failure.failed(new NullPointerException(
          "the function of a compose returned null instead of a promise")));
    }
    return Promises.adapt(inner);
  }

  /** Awaits {@code inner} (not null); this promise settles like it. */
  final void awaitInner(Promise<?> inner) {
    awaitInner(Promises.adapt(inner));
  }

  /**
   * Settles like the promise a compose function returned, now if it already settled, else once it
   * does. Settling now is what the listener {@link #awaitInner} adds would do at once (on the owner's
   * thread, where steps run), without the listener, the hop and the fence of {@link #waitingOn}:
   * the common step of a loop whose reads find their bytes buffered. A cancel requested while
   * the function ran takes the listener's path, so it still cancels this promise.
   */
  final void settleLikeInner(PromiseImpl<?> inner) {
    Object outcome = inner.result;
    if (outcome != null && owner != null && pendingCancel == null) {
      inner.markRetrieved();
      settleLike(outcome);
      return;
    }
    awaitInner(inner);
  }

  /** Awaits the promise a compose function returned; this promise settles like it. */
  final void awaitInner(PromiseImpl<?> p) {
    waitingOn = p;
    p.markRetrieved();
    CancelledException requested = pendingCancel;
    if (requested != null && p.result == null && p.cancel(requested.getMessage())) {
      // A cancel that arrived while the function ran goes to what it returned, as asyncio's
      // __step hands _must_cancel to the new _fut_waiter.
      pendingCancel = null;
    }
    p.addListener(this);
  }

  @SuppressWarnings("unchecked")
  static <S> S value(Object outcome) {
    return outcome == NULL ? null : (S) outcome;
  }

  @Override
  PromiseImpl<?> awaitedNow() {
    return waitingOn;
  }

  @Override
  void deferCancel(String message) {
    if (pendingCancel == null) {
      pendingCancel = new CancelledException(message);
    }
  }

  /** {@code thenApply}. */
  static final class Apply<S, R> extends Derived<S, R> {
    private final ThrowingFunction<? super S, ? extends R> fn;

    Apply(LoopThread owner, PromiseImpl<S> source, ThrowingFunction<? super S, ? extends R> fn) {
      super(owner, source);
      this.fn = fn;
    }

    @Override
    void step(Object outcome) {
      settleLike(outcome(fn, outcome));
    }

    /** The outcome of {@code thenApply(fn)} on a source that settled with {@code outcome}. */
    static Object outcome(ThrowingFunction<?, ?> fn, Object outcome) {
      if (outcome instanceof Failure) {
        return outcome;
      }
      try {
        @SuppressWarnings("unchecked")
        Object value = ((ThrowingFunction<Object, ?>) fn).apply(value(outcome));
        return value == null ? NULL : value;
      } catch (Throwable t) {
        return Failure.failed(t);
      }
    }
  }

  /** {@code thenAccept}: the value passes through. */
  static final class Accept<S> extends Derived<S, S> {
    private final ThrowingConsumer<? super S> action;

    Accept(LoopThread owner, PromiseImpl<S> source, ThrowingConsumer<? super S> action) {
      super(owner, source);
      this.action = action;
    }

    @Override
    void step(Object outcome) {
      if (outcome instanceof Failure) {
        settleLike(outcome);
        return;
      }
      try {
        action.accept(value(outcome));
        settle(outcome);
      } catch (Throwable t) {
        settleThrown(t);
      }
    }
  }

  /** {@code thenCompose}: first the source, then the promise the function returned. */
  static final class Compose<S, R> extends Derived<S, R> {
    /** Null once applied: the outcome that arrives next is the inner promise's. */
    private ThrowingFunction<? super S, ? extends Promise<R>> fn;

    Compose(LoopThread owner, PromiseImpl<S> source, ThrowingFunction<? super S, ? extends Promise<R>> fn) {
      super(owner, source);
      this.fn = fn;
    }

    @Override
    void step(Object outcome) {
      ThrowingFunction<? super S, ? extends Promise<R>> f = fn;
      if (f == null || outcome instanceof Failure) {
        settleLike(outcome);
        return;
      }
      fn = null;
      settleLikeInner(callCompose(f, value(outcome)));
    }

    /**
     * {@code source.thenCompose(fn)} on a settled source, run now on {@code current}: a promise
     * settled already when the function's promise is, else one that awaits it.
     *
     * <p>When the function returns a plain promise of this thread settled with a value (what a
     * settled {@code thenApply}, {@code Promise.completed} or a read of buffered bytes returns),
     * that promise is the result itself: it can no longer change, so a second promise holding the
     * same value would only cost an object per step of a loop such as the seed's echo.
     */
    static <S, R> Promise<R> composeNow(LoopThread current, PromiseImpl<S> source,
        ThrowingFunction<? super S, ? extends Promise<R>> fn) {
      Object outcome = source.result;
      if (outcome instanceof Failure) {
        return new PromiseImpl<>(current, likeOutcome(outcome));
      }
      PromiseImpl<R> inner = callCompose(fn, value(outcome));
      Object innerOutcome = inner.result;
      if (innerOutcome != null) {
        if (!(innerOutcome instanceof Failure) && inner.getClass() == PromiseImpl.class && inner.owner == current) {
          return inner;
        }
        inner.markRetrieved();
        return new PromiseImpl<>(current, likeOutcome(innerOutcome));
      }
      Compose<S, R> awaiting = new Compose<>(current, source, null);
      awaiting.awaitInner(inner);
      return awaiting;
    }
  }

  /** {@code exceptionally}: recovers from a failure, not from a cancellation. */
  static final class Recover<T> extends Derived<T, T> {
    private final ThrowingFunction<Throwable, ? extends T> fn;

    Recover(LoopThread owner, PromiseImpl<T> source, ThrowingFunction<Throwable, ? extends T> fn) {
      super(owner, source);
      this.fn = fn;
    }

    @Override
    void step(Object outcome) {
      if (!(outcome instanceof Failure) || ((Failure) outcome).isCancellation()) {
        settleLike(outcome);
        return;
      }
      try {
        trySucceed(fn.apply(((Failure) outcome).cause));
      } catch (Throwable t) {
        settleThrown(t);
      }
    }
  }

  /** {@code exceptionallyCompose}: recovers from a failure with another promise. */
  static final class RecoverCompose<T> extends Derived<T, T> {
    /** Null once applied: the outcome that arrives next is the inner promise's. */
    private ThrowingFunction<Throwable, ? extends Promise<T>> fn;

    RecoverCompose(LoopThread owner, PromiseImpl<T> source, ThrowingFunction<Throwable, ? extends Promise<T>> fn) {
      super(owner, source);
      this.fn = fn;
    }

    @Override
    void step(Object outcome) {
      ThrowingFunction<Throwable, ? extends Promise<T>> f = fn;
      if (f == null || !(outcome instanceof Failure) || ((Failure) outcome).isCancellation()) {
        settleLike(outcome);
        return;
      }
      fn = null;
      settleLikeInner(callCompose(f, ((Failure) outcome).cause));
    }
  }

  /** {@code whenComplete}: {@code finally}; the outcome passes through. */
  static final class Finally<T> extends Derived<T, T> {
    private final ThrowingBiConsumer<? super T, ? super Throwable> action;

    Finally(LoopThread owner, PromiseImpl<T> source, ThrowingBiConsumer<? super T, ? super Throwable> action) {
      super(owner, source);
      this.action = action;
    }

    @Override
    void step(Object outcome) {
      boolean failed = outcome instanceof Failure;
      try {
        action.accept(failed ? null : value(outcome), failed ? ((Failure) outcome).cause : null);
      } catch (Throwable t) {
        // As CompletionStage.whenComplete: after a failure the original failure wins.
        settleLike(failed ? outcome : Failure.failed(t));
        return;
      }
      settleLike(outcome);
    }
  }

  /** {@code handle}: sees every outcome, cancellation included, and may recover. */
  static final class Handle<S, R> extends Derived<S, R> {
    private final ThrowingBiFunction<? super S, Throwable, ? extends R> fn;

    Handle(LoopThread owner, PromiseImpl<S> source, ThrowingBiFunction<? super S, Throwable, ? extends R> fn) {
      super(owner, source);
      this.fn = fn;
    }

    @Override
    void step(Object outcome) {
      boolean failed = outcome instanceof Failure;
      try {
        trySucceed(fn.apply(failed ? null : value(outcome), failed ? ((Failure) outcome).cause : null));
      } catch (Throwable t) {
        settleThrown(t);
      }
    }
  }
}
