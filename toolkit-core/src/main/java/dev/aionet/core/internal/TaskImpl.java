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

  private final Coroutine<T> coroutine;
  private final long id;
  /** Null until asked for or set: "Task-N" is built lazily (it costs more than the task). */
  private volatile String name;
  /** Where the task was made; captured in debug mode only (asyncio's _source_traceback). */
  private final Throwable creationSite;
  private volatile boolean retrieved;
  /** Made only when the task fails with nobody having looked: reports it if nobody ever does. */
  private volatile TaskTracking unretrievedFailure;

  /** Links in the owner's list of unfinished tasks; guarded by that list (see LoopContext). */
  TaskImpl<?> prevTask;
  TaskImpl<?> nextTask;

  private PromiseImpl<?> waitingOn;
  private boolean mustCancel;
  private String cancelMessage;
  private volatile int cancelRequests;

  TaskImpl(LoopContext owner, Coroutine<T> coroutine, String name) {
    super(owner);
    this.coroutine = coroutine;
    this.id = COUNTER.incrementAndGet();
    this.name = name;
    this.creationSite = owner.loop.debug ? new Throwable("task created here") : null;
    owner.register(this);
  }

  /** Creates a task and schedules its step on a later turn of {@code owner}. Any thread. */
  public static <T> TaskImpl<T> start(LoopContext owner, Coroutine<T> coroutine, String name) {
    TaskImpl<T> task = new TaskImpl<>(owner, java.util.Objects.requireNonNull(coroutine, "coroutine"), name);
    owner.callSoonFromAnyThread(task.new Step());
    return task;
  }

  private void step() {
    if (result != null) {
      return;
    }
    if (mustCancel) {
      // asyncio: a task cancelled before its coroutine ran never runs it.
      settleCancelled(new CancelledException(cancelMessage));
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
    if (mustCancel && p.result == null && p.cancel(cancelMessage)) {
      mustCancel = false;
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
    return TaskImpl.this.toString() + TaskTracking.describeSite(creationSite);
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
    if (mustCancel) {
      // asyncio test_cancel_at_end: a cancel pending at the step boundary wins over a value.
      settleCancelled(new CancelledException(cancelMessage));
      return;
    }
    settleLike(source.result);
  }

  @Override
  boolean requestCancel(String message) {
    if (result != null) {
      return false;
    }
    cancelRequests++;
    PromiseImpl<?> w = waitingOn;
    if (w != null && w.result == null && w.cancel(message)) {
      return true;
    }
    mustCancel = true;
    cancelMessage = message;
    return true;
  }

  @Override
  public int cancelling() {
    return cancelRequests;
  }

  @Override
  public int uncancel() {
    int n = cancelRequests;
    if (n > 0) {
      cancelRequests = --n;
      if (n == 0) {
        mustCancel = false; // asyncio 3.13: uncancel to zero withdraws a pending request
      }
    }
    return n;
  }

  @Override
  public String name() {
    String n = name;
    return n != null ? n : "Task-" + id;
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
      TaskTracking t = new TaskTracking(owner.loop, name(), creationSite, ((Failure) r).cause);
      unretrievedFailure = t;
      if (retrieved) {
        t.markRetrieved(); // retrieved on another thread meanwhile (both fields are volatile)
      }
      t.watch(this);
    }
  }

  @Override
  void markRetrieved() {
    retrieved = true;
    TaskTracking t = unretrievedFailure;
    if (t != null) {
      t.markRetrieved();
    }
  }

  @Override
  public String toString() {
    return "Task[" + name() + " " + state() + " on " + owner.executor + "]";
  }
}
