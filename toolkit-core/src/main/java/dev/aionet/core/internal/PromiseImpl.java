package dev.aionet.core.internal;

import dev.aionet.core.AsyncTimeoutException;
import dev.aionet.core.CancelledException;
import dev.aionet.core.InvalidStateException;
import dev.aionet.core.Promise;
import dev.aionet.core.ThrowingBiConsumer;
import dev.aionet.core.ThrowingBiFunction;
import dev.aionet.core.ThrowingConsumer;
import dev.aionet.core.ThrowingFunction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * The base of every aionet promise: {@link LeafPromise} (a {@code CompletablePromise}),
 * {@link Derived} and {@link TaskImpl}.
 *
 * <p>The outcome is written once by CAS into {@link #result}: the value (or {@link #NULL}) on
 * success, a {@link Failure} otherwise. The first listener is added by CAS (no lock), more
 * under a list's own monitor; once settled they are taken with one atomic swap and fired in
 * registration order; each {@link Listener} decides on which
 * thread it continues (see {@link Derived} and {@link DoneCallback}).
 *
 * <p>Its size is the {@link Promise} interface's: every query, derivation and callback method
 * of every kind of promise is here once. What stands apart lives apart: the derivations' steps in
 * {@link Derived}, blocking in {@link Joining}, cancellation forwarding in {@link ForwardingPromise}.
 *
 * @param <T> the value type
 */
public class PromiseImpl<T> implements Promise<T> {
  /** Stands for a successful null value, since null in {@link #result} means pending. */
  static final Object NULL = new Object();

  /**
   * A VarHandle, not an AtomicReferenceFieldUpdater: the updater checks the receiver's class on
   * every CAS, and every promise here is a subclass, which takes its slow path (measured in
   * toolkit-bench/BENCHMARKS.md, "Measurements behind code choices").
   */
  private static final VarHandle RESULT;
  private static final VarHandle LISTENERS;
  /** What {@link #listeners} holds once its listeners were taken to run. */
  private static final Object FIRED = new Object();

  static {
    try {
      RESULT = MethodHandles.lookup().findVarHandle(PromiseImpl.class, "result", Object.class);
      LISTENERS = MethodHandles.lookup().findVarHandle(PromiseImpl.class, "listeners", Object.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The loop thread this promise belongs to, or null for a promise owned by no loop. */
  final LoopThread owner;

  /** The loop thread this promise belongs to, or null for a promise owned by no loop. */
  public final LoopThread owner() {
    return owner;
  }

  volatile Object result;

  /**
   * Null, one Listener, {@link Several} of them, or {@link #FIRED} once they were taken to run;
   * the field changes by CAS or atomic swap only.
   */
  private volatile Object listeners;

  public PromiseImpl(LoopThread owner) {
    this.owner = owner;
  }

  /**
   * A promise settled from the start. The result is stored with release semantics, not as a
   * volatile write: nobody can see the object before the constructor returns, so the fence a
   * volatile store costs buys nothing, and the reference is published like any other (through a
   * queue, a volatile field, a task), which orders this store before it.
   */
  PromiseImpl(LoopThread owner, Object settledResult) {
    this.owner = owner;
    RESULT.setRelease(this, settledResult);
  }

  // ---------------------------------------------------------------- settling

  /**
   * Settles once; returns false (changing nothing) if already settled. The listeners are taken
   * with one atomic swap, and only if there are any: a promise nobody listens to settles with
   * its one CAS. An adder whose listener lands after this look finds the result set and takes
   * the listeners itself (see {@link #addListener}).
   */
  final boolean settle(Object outcome) {
    if (!RESULT.compareAndSet(this, null, outcome)) {
      return false;
    }
    Object toFire = listeners == null ? null : LISTENERS.getAndSet(this, FIRED);
    afterSettle();
    fire(toFire);
    return true;
  }

  /** Runs once right after this promise settled (tasks leave their loop's task list here). */
  void afterSettle() {}

  /** Runs what a swap took from {@link #listeners}: nothing, one listener or a list of them. */
  private void fire(Object toFire) {
    if (toFire instanceof Listener) {
      ((Listener) toFire).onSettled(this);
    } else if (toFire instanceof Several) {
      for (Listener l : ((Several) toFire).close()) {
        l.onSettled(this);
      }
    }
  }

  /**
   * Adds a listener, or runs it now (on this thread) if already settled. The first listener goes
   * in by CAS, with no lock (the common case: one continuation per promise); a second turns the
   * field into a {@link Several}, whose own monitor guards its list. If the promise settled
   * while the listener went in, this thread takes every listener still there (its own among
   * them) with the same atomic swap settling uses, so each runs once.
   */
  final void addListener(Listener listener) {
    while (result == null) {
      Object ls = listeners;
      if (ls == FIRED) {
        break;
      }
      if (ls instanceof Several) {
        if (((Several) ls).add(listener)) {
          return;
        }
        break; // taken to run already: the promise is settled
      }
      Object more = ls == null ? listener : new Several((Listener) ls, listener);
      if (LISTENERS.compareAndSet(this, ls, more)) {
        if (result != null) {
          fire(LISTENERS.getAndSet(this, FIRED));
        }
        return;
      }
    }
    listener.onSettled(this);
  }

  /** Removes the first listener that is {@code match} or a done callback of {@code match}. */
  final boolean removeListener(Object match) {
    for (;;) {
      Object ls = listeners;
      if (ls instanceof Several) {
        return ((Several) ls).remove(match);
      }
      if (!(ls instanceof Listener) || !matches((Listener) ls, match)) {
        return false; // none, no match, or fired already
      }
      if (LISTENERS.compareAndSet(this, ls, null)) {
        return true;
      }
    }
  }

  /**
   * Two or more listeners, in the order added, under this object's monitor; closed once they
   * are taken to run, after which nothing is added or removed.
   */
  private static final class Several {
    private ArrayList<Listener> list = new ArrayList<>(4);

    Several(Listener first, Listener second) {
      list.add(first);
      list.add(second);
    }

    /** Adds {@code l}; false if the listeners were taken to run already. */
    synchronized boolean add(Listener l) {
      if (list == null) {
        return false;
      }
      list.add(l);
      return true;
    }

    synchronized boolean remove(Object match) {
      if (list != null) {
        for (int i = 0; i < list.size(); i++) {
          if (matches(list.get(i), match)) {
            list.remove(i);
            return true;
          }
        }
      }
      return false;
    }

    /** The listeners, taken to run: later adds and removes find the list closed. */
    synchronized ArrayList<Listener> close() {
      ArrayList<Listener> all = list;
      list = null;
      return all;
    }
  }

  private static boolean matches(Listener l, Object match) {
    return l == match || l instanceof DoneCallback && ((DoneCallback) l).callback == match;
  }

  /** Settles with a value; false if already settled. */
  final boolean trySucceed(T value) {
    return settle(value == null ? NULL : value);
  }

  /** Settles with a failure; false if already settled. */
  final boolean tryFail(Throwable error) {
    Objects.requireNonNull(error, "error");
    return settle(Failure.failed(error));
  }

  /** Settles as CANCELLED with the given exception (a leaf's cancel, or a chain that ended so). */
  final boolean settleCancelled(CancelledException cause) {
    return settle(Failure.cancelled(cause));
  }

  /**
   * Settles with the outcome of another settled promise. A cancellation outcome (even a FAILED
   * one carrying a CancelledException) becomes CANCELLED here (package documentation, "Cancellation as an outcome").
   */
  final boolean settleLike(Object outcome) {
    return settle(likeOutcome(outcome));
  }

  // ---------------------------------------------------------------- cancellation

  @Override
  public final boolean cancel() {
    return cancel(null);
  }

  /**
   * Cancels a leaf: it settles as cancelled at once, on any thread. Composite promises
   * ({@link ForwardingPromise}) forward the request inward instead.
   */
  @Override
  public boolean cancel(String message) {
    return result == null && cancelNow(message);
  }

  /** Settles as cancelled at once and runs {@link #onCancelled()}; false if already settled. */
  final boolean cancelNow(String message) {
    if (settle(Failure.cancelled(message))) {
      onCancelled();
      return true;
    }
    return false;
  }

  /** Hook for leaves that must release something when cancelled (a timer, a foreign future). */
  protected void onCancelled() {}

  // ---------------------------------------------------------------- queries

  @Override
  public final State state() {
    Object r = result;
    if (r == null) {
      return State.PENDING;
    }
    if (r instanceof Failure) {
      return ((Failure) r).cancelled ? State.CANCELLED : State.FAILED;
    }
    return State.SUCCEEDED;
  }

  @Override
  public final boolean isDone() {
    return result != null;
  }

  @Override
  public final boolean isCancelled() {
    Object r = result;
    return r instanceof Failure && ((Failure) r).cancelled;
  }

  @Override
  public final boolean isSuccess() {
    Object r = result;
    return r != null && !(r instanceof Failure);
  }

  @Override
  public final boolean isFailed() {
    Object r = result;
    return r instanceof Failure && !((Failure) r).cancelled;
  }

  @Override
  public final T result() {
    Object r = result;
    if (r == null) {
      throw new InvalidStateException("Result is not ready.");
    }
    return valueOf(r);
  }

  @SuppressWarnings("unchecked")
  final T valueOf(Object r) {
    if (r instanceof Failure) {
      markRetrieved();
      Failure f = (Failure) r;
      if (f.cancelled) {
        throw (CancelledException) f.cause;
      }
      throw rethrowable(f.cause);
    }
    return r == NULL ? null : (T) r;
  }

  /** Unchecked failures are thrown as they are, checked ones wrapped. */
  static RuntimeException rethrowable(Throwable cause) {
    if (cause instanceof RuntimeException) {
      return (RuntimeException) cause;
    }
    if (cause instanceof Error) {
      throw (Error) cause;
    }
    return new CompletionException(cause);
  }

  @Override
  public final Throwable exception() {
    Object r = result;
    if (r == null) {
      throw new InvalidStateException("Exception is not set.");
    }
    if (r instanceof Failure) {
      markRetrieved();
      Failure f = (Failure) r;
      if (f.cancelled) {
        throw (CancelledException) f.cause;
      }
      return f.cause;
    }
    return null;
  }

  /** Marks a failure as observed (tasks report unobserved ones; see TaskImpl). */
  void markRetrieved() {}

  // ---------------------------------------------------------------- callbacks

  @Override
  public final Promise<T> addDoneCallback(Consumer<? super Promise<T>> callback) {
    Objects.requireNonNull(callback, "callback");
    markRetrieved();
    addListener(new DoneCallback(callback));
    return this;
  }

  /**
   * {@link #addDoneCallback} for internal code that keeps one object per promise and wants no
   * wrapper: marks the outcome observed as that does, but calls {@code listener} on the settling
   * thread (at once if settled), so the listener itself must move to a later turn of the
   * promise's loop ({@link LoopThread#callSoonFromAnyThread}) to keep addDoneCallback's timing.
   */
  public final void addDoneListener(Listener listener) {
    Objects.requireNonNull(listener, "listener");
    markRetrieved();
    addListener(listener);
  }

  @Override
  public final boolean removeDoneCallback(Consumer<? super Promise<T>> callback) {
    return removeListener(callback);
  }

  // ---------------------------------------------------------------- derivations

  /** The caller's loop thread when on one, else this promise's owner. */
  final LoopThread derivationOwner() {
    LoopThread current = LoopThread.current();
    return current != null ? current : owner;
  }

  private <R> Promise<R> derive(Derived<T, R> derived) {
    markRetrieved();
    addListener(derived);
    return derived;
  }

  @Override
  public final <R> Promise<R> thenApply(ThrowingFunction<? super T, ? extends R> fn) {
    Objects.requireNonNull(fn, "fn");
    LoopThread current = LoopThread.current();
    Object r = result;
    if (r != null && current != null && current.tryEnterInline()) {
      // Settled, on a loop thread, within the nesting bound: the function would run inline inside
      // addListener anyway, so run it now and skip the derived object, listener and dispatch.
      try {
        markRetrieved();
        return new PromiseImpl<>(current, likeOutcome(Derived.Apply.outcome(fn, r)));
      } finally {
        current.exitInline();
      }
    }
    return derive(new Derived.Apply<>(current != null ? current : owner, this, fn));
  }

  @Override
  public final <R> Promise<R> thenCompose(ThrowingFunction<? super T, ? extends Promise<R>> fn) {
    Objects.requireNonNull(fn, "fn");
    LoopThread current = LoopThread.current();
    Object r = result;
    if (r != null && current != null && current.tryEnterInline()) {
      // As thenApply; the result is settled too when the inner promise already is.
      try {
        markRetrieved();
        return Derived.Compose.composeNow(current, this, fn);
      } finally {
        current.exitInline();
      }
    }
    return derive(new Derived.Compose<>(current != null ? current : owner, this, fn));
  }

  /** The outcome a promise settling like one with {@code outcome} takes (see settleLike). */
  static Object likeOutcome(Object outcome) {
    if (outcome instanceof Failure) {
      Failure f = (Failure) outcome;
      return f.isCancellation() ? f.asCancelled() : f;
    }
    return outcome;
  }

  @Override
  public final Promise<T> thenAccept(ThrowingConsumer<? super T> action) {
    return derive(new Derived.Accept<>(derivationOwner(), this, Objects.requireNonNull(action, "action")));
  }

  @Override
  public final Promise<T> exceptionally(ThrowingFunction<Throwable, ? extends T> fn) {
    return derive(new Derived.Recover<>(derivationOwner(), this, Objects.requireNonNull(fn, "fn")));
  }

  @Override
  public final Promise<T> exceptionallyCompose(ThrowingFunction<Throwable, ? extends Promise<T>> fn) {
    return derive(new Derived.RecoverCompose<>(derivationOwner(), this, Objects.requireNonNull(fn, "fn")));
  }

  @Override
  public final Promise<T> whenComplete(ThrowingBiConsumer<? super T, ? super Throwable> action) {
    return derive(new Derived.Finally<>(derivationOwner(), this, Objects.requireNonNull(action, "action")));
  }

  @Override
  public final <R> Promise<R> handle(ThrowingBiFunction<? super T, Throwable, ? extends R> fn) {
    return derive(new Derived.Handle<>(derivationOwner(), this, Objects.requireNonNull(fn, "fn")));
  }

  // ---------------------------------------------------------------- blocking bridge

  @Override
  public final T join() {
    if (result == null) {
      Joining.await(this, -1);
    }
    return result();
  }

  @Override
  public final T join(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (result == null && !Joining.await(this, LoopCore.delayNanos(timeout))) {
      throw new AsyncTimeoutException("join() timed out after " + timeout + " on " + this);
    }
    return result();
  }

  /** Blocks until settled or {@code nanos} pass, whatever the thread (Loop.close's own use). */
  final boolean awaitQuietly(long nanos) {
    return Joining.awaitSettled(this, nanos);
  }

  @Override
  public final CompletableFuture<T> toCompletableFuture() {
    markRetrieved();
    CompletableFuture<T> future = new CompletableFuture<>();
    addListener(source -> {
      Object r = source.result;
      if (r instanceof Failure) {
        Failure f = (Failure) r;
        future.completeExceptionally(f.cause);
      } else {
        future.complete(valueOf(r));
      }
    });
    future.whenComplete((v, e) -> {
      if (future.isCancelled()) {
        cancel();
      }
    });
    return future;
  }

  // ---------------------------------------------------------------- description

  @Override
  public String toString() {
    Object r = result;
    String what;
    if (r == null) {
      what = "PENDING";
    } else if (r instanceof Failure) {
      Failure f = (Failure) r;
      what = (f.cancelled ? "CANCELLED" : "FAILED") + ": " + f.cause;
    } else {
      what = "SUCCEEDED: " + (r == NULL ? "null" : r);
    }
    return "Promise(" + what + ")";
  }
}
