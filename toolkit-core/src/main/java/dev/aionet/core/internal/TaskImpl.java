package dev.aionet.core.internal;

import dev.aionet.core.CancelledException;
import dev.aionet.core.Coroutine;
import dev.aionet.core.Promise;
import dev.aionet.core.Task;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * A coroutine run on a loop thread: asyncio's {@code Task}.
 *
 * <p>Its one step runs on a later turn: it calls the coroutine and then waits on the promise the
 * coroutine returned, settling like it. A cancellation request is counted ({@link #cancelling()})
 * and forwarded to what the task waits on now; if the task waits on nothing (its step has not run,
 * or the awaited promise already settled), it is kept as {@code mustCancel} and applied at the
 * step boundary, exactly as asyncio's {@code _must_cancel}.
 *
 * <p>All mutable state is confined to the owner's loop thread, except the name ({@link #setName})
 * and the retrieved mark, which any thread may set, and the count of cancel requests, which
 * {@link #cancel(String)} and {@link #uncancel()} change at once from any thread, under the rare
 * state's monitor. A cancel from another thread is counted there, then hops to the loop thread to
 * be delivered; if {@link #uncancel()} brought the count to zero meanwhile, the request was
 * withdrawn and is not delivered (asyncio: uncancel to zero withdraws a pending request).
 *
 * @param <T> the value type
 */
public final class TaskImpl<T> extends ForwardingPromise<T> implements Task<T>, Continuation {
  private static final AtomicLong COUNTER = new AtomicLong();
  /** The sign bit of {@link #idAndRetrieved}: someone observed the outcome. */
  private static final long RETRIEVED = Long.MIN_VALUE;
  private static final AtomicReferenceFieldUpdater<TaskImpl, Object> NAME_OR_RARE =
      AtomicReferenceFieldUpdater.newUpdater(TaskImpl.class, Object.class, "nameOrRare");

  // Every idle server connection holds one task, so the fields are packed to keep a task at
  // 48 bytes (compressed oops): the retrieved flag rides in the id's sign bit, and the name
  // shares one field with the rare state. Read them through id(), retrieved(), name(), rare().

  /** The task number (never negative) or'ed with {@link #RETRIEVED}; any thread sets the flag. */
  private volatile long idAndRetrieved;
  /**
   * The name, until rare state is needed: null for "Task-N", a String once set, or a {@link
   * NamePrefix} for prefix + N (built lazily, since a name String costs more than the task). Then
   * the {@link RareState}, which keeps the name from there on and is never replaced. Changed only
   * by compare-and-set, so a rename from any thread and the owner making the rare state never
   * lose each other's update.
   */
  private volatile Object nameOrRare;

  /** Links in the owner's list of unfinished tasks; guarded by that list (see LoopThread). */
  TaskImpl<?> prevTask;
  TaskImpl<?> nextTask;

  /** The coroutine until its step ran, then the promise it returned while that is pending. */
  private Object waitingOn;

  /**
   * What few tasks need, kept out of every task: cancellation requests, the tracking of a failure
   * nobody observed, and (in debug mode) where the task was made. Written on the owner's thread,
   * except the cancel count, which any thread changes under this object's monitor.
   */
  private static final class RareState {
    /** Where the task was made; captured in debug mode only (asyncio's _source_traceback). */
    final Throwable creationSite;
    /** The name, as {@link TaskImpl#nameOrRare} held it before this state replaced it; any thread sets it. */
    volatile Object name;
    /** asyncio's {@code _num_cancels_requested}: read anywhere, changed under this monitor. */
    volatile int cancelRequests;
    /** How often {@link #uncancel()} brought the count to zero; guarded by this monitor. */
    int withdrawals;
    /** A request to apply at the next step; set on the loop thread, cleared there or by uncancel. */
    volatile boolean mustCancel;
    String cancelMessage;
    /** Made only when the task fails with nobody having looked: reports it if nobody ever does. */
    volatile TaskTracking unretrievedFailure;
    /** The JFR task-end event begun at creation, when a recording wanted task ends then. */
    Object taskEndEvent;

    RareState(Throwable creationSite, Object name) {
      this.creationSite = creationSite;
      this.name = name;
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

  private TaskImpl(LoopThread owner, Coroutine<T> coroutine, Object name) {
    super(owner);
    this.waitingOn = coroutine;
    this.idAndRetrieved = COUNTER.incrementAndGet();
    this.nameOrRare = owner.loop.debug ? new RareState(new Throwable("task created here"), name) : name;
    Object taskEnd = LoopEvents.taskStarted();
    if (taskEnd != null) {
      rare().taskEndEvent = taskEnd;
    }
    owner.register(this);
  }

  /** Creates a task and schedules its step on a later turn of {@code owner}. Any thread. */
  public static <T> TaskImpl<T> start(LoopThread owner, Coroutine<T> coroutine, String name) {
    return start(owner, coroutine, (Object) name);
  }

  /** As {@link #start(LoopThread, Coroutine, String)}, named {@code prefix} and the task's number. */
  public static <T> TaskImpl<T> startNumbered(LoopThread owner, Coroutine<T> coroutine, NamePrefix prefix) {
    return start(owner, coroutine, java.util.Objects.requireNonNull(prefix, "prefix"));
  }

  private static <T> TaskImpl<T> start(LoopThread owner, Coroutine<T> coroutine, Object name) {
    TaskImpl<T> task = new TaskImpl<>(owner, java.util.Objects.requireNonNull(coroutine, "coroutine"), name);
    owner.callSoonFromAnyThread(task.new Step());
    return task;
  }

  private long id() {
    return idAndRetrieved & ~RETRIEVED;
  }

  private boolean retrieved() {
    return idAndRetrieved < 0;
  }

  /** The rare state, or null while nobody needed it. */
  private RareState rareOrNull() {
    Object v = nameOrRare;
    return v instanceof RareState ? (RareState) v : null;
  }

  /** The rare state, made on first need, keeping the name a concurrent setName may be changing. */
  private RareState rare() {
    while (true) {
      Object v = nameOrRare;
      if (v instanceof RareState) {
        return (RareState) v;
      }
      RareState r = new RareState(null, v);
      if (NAME_OR_RARE.compareAndSet(this, v, r)) {
        return r;
      }
    }
  }

  private boolean mustCancel() {
    RareState r = rareOrNull();
    return r != null && r.mustCancel;
  }

  private String cancelMessage() {
    return rare().cancelMessage;
  }

  private Throwable creationSite() {
    RareState r = rareOrNull();
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
      settleCancelled(new CancelledException(cancelMessage()));
      return;
    }
    TaskImpl<?> previous = owner.enterTask(this);
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
      owner.exitTask(previous);
    }
    PromiseImpl<?> p = Promises.adapt(awaited);
    waitingOn = p;
    p.markRetrieved();
    if (mustCancel() && p.result == null && p.cancel(cancelMessage())) {
      rare().mustCancel = false;
    }
    p.addListener(this);
  }

  /** The task's step as a loop callback; its description names the task for debug reports. */
  final class Step implements LoopWork {
    TaskImpl<T> task() {
      return TaskImpl.this;
    }

    @Override
    public void run() {
      step();
    }

    /** Submitted to a loop that has shut down: the coroutine never runs, the task fails. */
    @Override
    public void refused(IllegalStateException loopClosed) {
      tryFail(loopClosed);
    }

    @Override
    public String toString() {
      return "step of " + describe();
    }
  }

  /**
   * The promise this task awaits now, or null while its step is queued or running; for an async
   * body suspended in an await, the promise that await waits for. Loop thread only (a debugging
   * aid: the test kit names it in its deadlock report).
   */
  public dev.aionet.core.Promise<?> awaiting() {
    Object w = waitingOn;
    if (w instanceof AsyncBody) {
      // The task of an async body waits on the body; what matters is what the suspended body awaits.
      PromiseImpl<?> inBody = ((AsyncBody<?>) w).awaitedNow();
      return inBody != null ? inBody : (PromiseImpl<?>) w;
    }
    return w instanceof PromiseImpl ? (PromiseImpl<?>) w : null;
  }

  /** The task and, in debug mode, where it was created. */
  String describe() {
    return TaskImpl.this.toString() + TaskTracking.describeSite(creationSite());
  }

  @Override
  public void resume(PromiseImpl<?> source) {
    if (result != null) {
      return;
    }
    waitingOn = null;
    if (mustCancel()) {
      // asyncio test_cancel_at_end: a cancel pending at the step boundary wins over a value.
      settleCancelled(new CancelledException(cancelMessage()));
      return;
    }
    settleLike(source.result);
  }

  @Override
  void cancelRequested() {
    countCancelRequest();
  }

  @Override
  int requestedOffLoop() {
    return countCancelRequest();
  }

  /** Adds one to the count (asyncio's cancel()); returns the withdrawals so far, the request's ticket. */
  private int countCancelRequest() {
    RareState r = rare();
    synchronized (r) {
      r.cancelRequests++;
      return r.withdrawals;
    }
  }

  @Override
  boolean stillRequested(int ticket) {
    RareState r = rare();
    synchronized (r) {
      return r.withdrawals == ticket;
    }
  }

  @Override
  void requestCancel(String message, int ticket) {
    if (result == null && stillRequested(ticket)) {
      forwardCancel(message);
    }
  }

  @Override
  PromiseImpl<?> awaitedNow() {
    Object w = waitingOn; // the coroutine until the first step ran
    return w instanceof PromiseImpl ? (PromiseImpl<?>) w : null;
  }

  @Override
  void deferCancel(String message) {
    RareState r = rare();
    synchronized (r) {
      if (r.cancelRequests > 0) { // else an uncancel() on another thread withdrew it just now
        r.cancelMessage = message;
        r.mustCancel = true;
      }
    }
  }

  /**
   * Takes a cancel request that arrived while this task's step ran and nothing was awaited yet
   * (an async body's first stretch runs inside the step): the body's first await of a pending
   * promise throws it instead of the step forwarding it afterwards. Null if there is none.
   */
  CancelledException takeCancelRequest() {
    RareState r = rareOrNull();
    if (r == null || !r.mustCancel) {
      return null;
    }
    r.mustCancel = false;
    return new CancelledException(r.cancelMessage);
  }

  @Override
  public int cancelling() {
    RareState r = rareOrNull();
    return r == null ? 0 : r.cancelRequests;
  }

  @Override
  public int uncancel() {
    RareState r = rareOrNull();
    if (r == null) {
      return 0; // nothing was ever requested
    }
    synchronized (r) {
      int n = r.cancelRequests;
      if (n > 0) {
        r.cancelRequests = --n;
        if (n == 0) {
          // asyncio 3.13: uncancel to zero withdraws a pending request, here also one still
          // hopping to the loop thread from another thread's cancel()
          r.mustCancel = false;
          r.withdrawals++;
        }
      }
      return n;
    }
  }

  @Override
  public String name() {
    Object n = nameOrRare;
    if (n instanceof RareState) {
      n = ((RareState) n).name;
    }
    if (n instanceof String) {
      return (String) n;
    }
    return (n == null ? "Task-" : n.toString()) + id();
  }

  @Override
  public void setName(String name) {
    java.util.Objects.requireNonNull(name, "name");
    while (true) {
      Object v = nameOrRare;
      if (v instanceof RareState) {
        ((RareState) v).name = name; // the rare state is never replaced, so this cannot be lost
        return;
      }
      if (NAME_OR_RARE.compareAndSet(this, v, name)) {
        return;
      }
    }
  }

  @Override
  void afterSettle() {
    owner.unregister(this);
    Object r = result;
    RareState rare = rareOrNull();
    if (rare != null && rare.taskEndEvent != null) {
      LoopEvents.taskEnded(rare.taskEndEvent, name(), state(), r instanceof Failure ? ((Failure) r).cause : null);
    }
    if (!retrieved() && r instanceof Failure && !((Failure) r).cancelled) {
      TaskTracking t = new TaskTracking(owner.loop, name(), creationSite(), ((Failure) r).cause);
      rare().unretrievedFailure = t;
      if (retrieved()) {
        t.markRetrieved(); // retrieved on another thread meanwhile (both fields are volatile)
      }
      t.watch(this);
    }
  }

  @Override
  void markRetrieved() {
    long v = idAndRetrieved;
    if (v >= 0) {
      // Every writer stores the same value (the id never changes), so a plain volatile write
      // cannot lose anything and needs no compare-and-set.
      idAndRetrieved = v | RETRIEVED;
    }
    RareState rs = rareOrNull();
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
