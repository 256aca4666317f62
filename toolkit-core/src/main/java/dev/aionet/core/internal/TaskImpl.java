package dev.aionet.core.internal;

import dev.aionet.core.CancelledException;
import dev.aionet.core.Coroutine;
import dev.aionet.core.Promise;
import dev.aionet.core.Task;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A coroutine run on a loop thread: asyncio's {@code Task}.
 *
 * <p>Its one step runs on a later turn: it calls the coroutine and then waits on the promise the
 * coroutine returned, settling like it. A cancellation request is counted ({@link #cancelling()})
 * and forwarded to what the task waits on now; if the task waits on nothing (its step has not run,
 * or the awaited promise already settled), it is kept as {@code mustCancel} and applied at the
 * step boundary, exactly as asyncio's {@code _must_cancel}.
 *
 * <p>All mutable state is confined to the owner's loop thread; {@link #cancel(String)} from
 * another thread hops there.
 *
 * @param <T> the value type
 */
public final class TaskImpl<T> extends ForwardingPromise<T> implements Task<T>, Continuation {
  private static final AtomicLong COUNTER = new AtomicLong();

  private final long id;
  /**
   * The name: null for "Task-N", a String once set, or a {@link NamePrefix} for prefix + N.
   * Built lazily, since a name String costs more than the task.
   */
  private volatile Object name;
  private volatile boolean retrieved;
  /** Rare state: cancellation, an unobserved failure, the creation site; null until needed. */
  private volatile RareState rare;

  /** Links in the owner's list of unfinished tasks; guarded by that list (see LoopContext). */
  TaskImpl<?> prevTask;
  TaskImpl<?> nextTask;

  /** The coroutine until its step ran, then the promise it returned while that is pending. */
  private Object waitingOn;

  /**
   * What few tasks need, kept out of every task: cancellation requests, the tracking of a failure
   * nobody observed, and (in debug mode) where the task was made. Written on the owner's thread.
   */
  private static final class RareState {
    /** Where the task was made; captured in debug mode only (asyncio's _source_traceback). */
    final Throwable creationSite;
    volatile int cancelRequests;
    boolean mustCancel;
    String cancelMessage;
    /** Made only when the task fails with nobody having looked: reports it if nobody ever does. */
    volatile TaskTracking unretrievedFailure;

    RareState(Throwable creationSite) {
      this.creationSite = creationSite;
    }
  }

  /** A shared task name prefix: each task started with it is named the prefix and its task number. */
  public static final class NamePrefix {
    private final String prefix;

    public NamePrefix(String prefix) {
      this.prefix = java.util.Objects.requireNonNull(prefix, "prefix");
    }

    @Override
    public String toString() {
      return prefix;
    }
  }

  private TaskImpl(LoopContext owner, Coroutine<T> coroutine, Object name) {
    super(owner);
    this.waitingOn = coroutine;
    this.id = COUNTER.incrementAndGet();
    this.name = name;
    if (owner.loop.debug) {
      this.rare = new RareState(new Throwable("task created here"));
    }
    owner.register(this);
  }

  /** Creates a task and schedules its step on a later turn of {@code owner}. Any thread. */
  public static <T> TaskImpl<T> start(LoopContext owner, Coroutine<T> coroutine, String name) {
    return start(owner, coroutine, (Object) name);
  }

  /** As {@link #start(LoopContext, Coroutine, String)}, named {@code prefix} and the task's number. */
  public static <T> TaskImpl<T> startNumbered(LoopContext owner, Coroutine<T> coroutine, NamePrefix prefix) {
    return start(owner, coroutine, java.util.Objects.requireNonNull(prefix, "prefix"));
  }

  private static <T> TaskImpl<T> start(LoopContext owner, Coroutine<T> coroutine, Object name) {
    TaskImpl<T> task = new TaskImpl<>(owner, java.util.Objects.requireNonNull(coroutine, "coroutine"), name);
    owner.callSoonFromAnyThread(task.new Step());
    return task;
  }

  /** The rare state, made on first need; owner's thread only. */
  private RareState rare() {
    RareState r = rare;
    if (r == null) {
      r = new RareState(null);
      rare = r;
    }
    return r;
  }

  private boolean mustCancel() {
    RareState r = rare;
    return r != null && r.mustCancel;
  }

  private Throwable creationSite() {
    RareState r = rare;
    return r == null ? null : r.creationSite;
  }

  @SuppressWarnings("unchecked")
  private void step() {
    if (result != null) {
      return;
    }
    Coroutine<T> coroutine = (Coroutine<T>) waitingOn;
    waitingOn = null;
    if (mustCancel()) {
      // asyncio: a task cancelled before its coroutine ran never runs it.
      settleCancelled(new CancelledException(rare.cancelMessage));
      return;
    }
    TaskImpl<?> previous = owner.currentTask;
    owner.currentTask = this;
    Promise<T> awaited;
    try {
      awaited = coroutine.call();
      if (awaited == null) {
        throw new NullPointerException("coroutine of " + name() + " returned null instead of a promise");
      }
    } catch (Throwable t) {
      settleLike(Failure.failed(t));
      return;
    } finally {
      owner.currentTask = previous;
    }
    PromiseImpl<?> p = Promises.adapt(awaited);
    waitingOn = p;
    p.markRetrieved();
    if (mustCancel() && p.result == null && p.cancel(rare.cancelMessage)) {
      rare.mustCancel = false;
    }
    p.addListener(this);
  }

  /** The task's step as a loop callback; its description names the task for debug reports. */
  private final class Step implements Runnable {
    @Override
    public void run() {
      step();
    }

    @Override
    public String toString() {
      return "step of " + describe();
    }
  }

  /** The task and, in debug mode, where it was created. */
  String describe() {
    return TaskImpl.this.toString() + TaskTracking.describeSite(creationSite());
  }

  @Override
  public void onSettled(PromiseImpl<?> source) {
    Continuation.dispatch(owner, this, source);
  }

  @Override
  public void resume(PromiseImpl<?> source) {
    if (result != null) {
      return;
    }
    waitingOn = null;
    if (mustCancel()) {
      // asyncio test_cancel_at_end: a cancel pending at the step boundary wins over a value.
      settleCancelled(new CancelledException(rare.cancelMessage));
      return;
    }
    settleLike(source.result);
  }

  @Override
  boolean requestCancel(String message) {
    if (result != null) {
      return false;
    }
    RareState r = rare();
    r.cancelRequests++;
    Object w = waitingOn;
    if (w instanceof PromiseImpl && ((PromiseImpl<?>) w).result == null && ((PromiseImpl<?>) w).cancel(message)) {
      return true;
    }
    r.mustCancel = true;
    r.cancelMessage = message;
    return true;
  }

  @Override
  public int cancelling() {
    RareState r = rare;
    return r == null ? 0 : r.cancelRequests;
  }

  @Override
  public int uncancel() {
    RareState r = rare;
    int n = r == null ? 0 : r.cancelRequests;
    if (n > 0) {
      r.cancelRequests = --n;
      if (n == 0) {
        r.mustCancel = false; // asyncio 3.13: uncancel to zero withdraws a pending request
      }
    }
    return n;
  }

  @Override
  public String name() {
    Object n = name;
    if (n instanceof String) {
      return (String) n;
    }
    return (n == null ? "Task-" : n.toString()) + id;
  }

  @Override
  public void setName(String name) {
    this.name = java.util.Objects.requireNonNull(name, "name");
  }

  @Override
  void onSettled() {
    owner.unregister(this);
    Object r = result;
    if (!retrieved && r instanceof Failure && !((Failure) r).cancelled) {
      TaskTracking t = new TaskTracking(owner.loop, name(), creationSite(), ((Failure) r).cause);
      rare().unretrievedFailure = t;
      if (retrieved) {
        t.markRetrieved(); // retrieved on another thread meanwhile (both fields are volatile)
      }
      t.watch(this);
    }
  }

  @Override
  void markRetrieved() {
    retrieved = true;
    RareState rs = rare;
    TaskTracking t = rs == null ? null : rs.unretrievedFailure;
    if (t != null) {
      t.markRetrieved();
    }
  }

  @Override
  public String toString() {
    return "Task[" + name() + " " + state() + " on " + owner.executor + "]";
  }
}
