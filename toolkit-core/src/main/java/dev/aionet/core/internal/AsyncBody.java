package dev.aionet.core.internal;

import dev.aionet.core.CancelledException;
import dev.aionet.core.Promise;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code Aio.async}: a task whose body is plain sequential code that suspends in
 * {@code Aio.await}. This object is the promise the task waits on; its coroutine starts the body
 * (not this object itself: a task forwards a cancel to a coroutine that is a pending promise).
 *
 * <p><b>The hand-off.</b> The body runs on a thread of its own ({@link BodyThreads}), but only
 * while its loop thread has handed it the loop: the loop thread waits inside the callback that
 * resumed the body until the body awaits a pending promise or ends, so the body has the loop
 * thread to itself between two awaits, and the loop runs nothing meanwhile.
 *
 * <pre>
 *   loop thread:  ─turn─┐ hand over        wait ┌─ other callbacks, I/O ... ─┐ p settles: hand over ┌─
 *   body thread:        └─ code ... await(p) ───┘   (parked)                   └─ code ... ─────────┘
 * </pre>
 *
 * <p>While the body holds the loop, {@link LoopThread#current()} answers the body's loop thread,
 * {@link LoopThread#inEventLoop()} is true, and a Netty operation aionet must make on the Netty
 * thread itself is handed to the waiting loop thread and run there at once
 * ({@link LoopThread#runOnLoopThread}).
 *
 * <p><b>Cancellation travels inward.</b> A cancel forwards to the promise the body awaits now;
 * if there is none (the body runs) or it has settled already (its value is on its way to the
 * body), the request is kept and thrown by the body's next await of a pending promise, so a
 * value that arrived is never lost to a cancel.
 *
 * <p><b>Closing.</b> {@code Loop.close()} cancels the task as any other; a body still running
 * after that grace period is abandoned: the loop stops waiting for it, its thread is interrupted
 * and every await it makes throws {@link LoopClosedError} (an {@code Error}, so a body that
 * swallows cancellation still ends).
 *
 * @param <T> the value type
 */
public final class AsyncBody<T> extends ForwardingPromise<T> implements Continuation {
  /** The body the calling thread runs, or null. */
  private static final ThreadLocal<AsyncBody<?>> CURRENT = new ThreadLocal<>();

  /** Who holds the baton: the body, the loop thread, the loop thread running a request, or neither (ended). */
  private static final int BODY = 0;
  private static final int LOOP = 1;
  private static final int REQUEST = 2;
  private static final int ENDED = 3;
  /** How long the loop thread spins for a short body segment before it parks. */
  private static final int SPINS = Integer.getInteger("dev.aionet.asyncSpins", 100);

  private final Callable<T> body;
  private TaskImpl<?> task;
  private volatile Thread thread;
  /** The loop's Netty thread, waiting while the body holds the loop. */
  private volatile Thread loopThread;
  private volatile int baton = LOOP;
  private volatile boolean abandoned;
  /** What the body asked the loop thread to run for it (with {@link #REQUEST}). */
  private Runnable request;
  private Throwable requestFailure;
  /**
   * With the loop thread as carrier: continuations of the body's virtual thread scheduled from
   * another thread (a blocking call inside the body that ended) while the loop thread waits.
   */
  private java.util.concurrent.ConcurrentLinkedQueue<Runnable> mounts;
  /** The body's outcome once it {@link #ENDED}. */
  private Object outcome;
  /** The pending promise the body awaits now, or null while it runs. */
  private PromiseImpl<?> awaiting;
  /** A cancel request the body has not seen yet: its next await of a pending promise throws it. */
  private CancelledException pendingCancel;

  private AsyncBody(LoopThread owner, Callable<T> body) {
    super(owner);
    this.body = body;
  }

  /** Starts {@code body} as a task of the calling loop thread (or async body). */
  public static <T> dev.aionet.core.Task<T> start(Callable<T> body, String name) {
    LoopThread owner = LoopThread.require();
    java.util.Objects.requireNonNull(body, "body");
    AsyncBody<T> started = new AsyncBody<>(owner, body);
    return TaskImpl.start(owner, started::startOnLoop, name);
  }

  /** Whether the calling thread runs an async body. */
  public static boolean inBody() {
    return CURRENT.get() != null;
  }

  /**
   * {@code Aio.await}: the value of {@code promise}, suspending the calling body until it settles;
   * on a thread of no loop, blocks like {@code join()}.
   */
  public static <T> T await(Promise<T> promise) {
    java.util.Objects.requireNonNull(promise, "promise");
    AsyncBody<?> current = CURRENT.get();
    if (current == null) {
      if (LoopThread.current() != null) {
        throw new IllegalStateException("Aio.await() on an event loop thread outside an async body would block"
            + " the loop (" + promise + "); start the code with Aio.async, or chain with thenApply/thenCompose");
      }
      return promise.join();
    }
    return current.suspendUntilSettled(Promises.adapt(promise));
  }

  // ---------------------------------------------------------------- the loop thread's side

  /** The task's step: starts the body's thread and hands it the loop. */
  private Promise<T> startOnLoop() {
    task = owner.currentTask;
    loopThread = Thread.currentThread();
    String name = "aionet-async-" + task.name();
    if (BodyThreads.carrierAvailable()) {
      mounts = new java.util.concurrent.ConcurrentLinkedQueue<>();
      thread = BodyThreads.unstartedOn(new Carrier(), this::runBody, name);
    } else {
      thread = BodyThreads.unstarted(this::runBody, name);
    }
    owner.loop.bodyStarted(this);
    handOver(true);
    return this;
  }

  /** The awaited promise settled: the body continues, now if this is the Netty thread. */
  @Override
  public void resume(PromiseImpl<?> source) {
    if (result != null || awaiting != source) {
      return;
    }
    if (Thread.currentThread() != loopThread) {
      // Settled by code of a body holding the loop (maybe this one, about to suspend): only the
      // Netty thread hands the loop over, so the body continues on the next turn.
      owner.callSoon(() -> resume(source));
      return;
    }
    handOver(false);
  }

  /** Hands the loop to the body and waits until it awaits a pending promise or ends. */
  private void handOver(boolean first) {
    LoopThread lt = owner;
    if (lt.heldBy != null) {
      lt.loop.reportError("async body " + describe() + " resumed while " + lt.heldBy.describe()
          + " held the loop", new IllegalStateException("two async bodies held one loop thread"), task, null);
    }
    TaskImpl<?> previous = lt.enterTask(task);
    lt.heldBy = this;
    long start = lt.loop.debug ? System.nanoTime() : 0L;
    baton = BODY;
    if (first) {
      thread.start();
    } else {
      LockSupport.unpark(thread);
    }
    waitWhileBodyRuns();
    lt.heldBy = null;
    lt.exitTask(previous);
    if (start != 0L) {
      lt.loop.checkSlow(this, start);
    }
    if (baton == ENDED && !abandoned) {
      finish();
    }
  }

  private void waitWhileBodyRuns() {
    int spins = SPINS;
    while (true) {
      int b = baton;
      if (b == LOOP || b == ENDED || abandoned) {
        return;
      }
      java.util.concurrent.ConcurrentLinkedQueue<Runnable> m = mounts;
      Runnable mount = m == null ? null : m.poll();
      if (mount != null) {
        mount.run(); // the body continues on this thread, after a blocking call it made
        spins = SPINS;
      } else if (b == REQUEST) {
        try {
          request.run();
        } catch (Throwable t) {
          requestFailure = t;
        }
        request = null;
        baton = BODY;
        LockSupport.unpark(thread);
        spins = SPINS;
      } else if (spins > 0) {
        spins--;
        Thread.onSpinWait();
      } else {
        LockSupport.park(this);
      }
    }
  }

  /** The body ended: the task settles like it, on the loop thread. */
  private void finish() {
    CancelledException unseen = pendingCancel;
    if (unseen != null && !(outcome instanceof Failure)) {
      // asyncio: a task cancelled while its coroutine ran, which then returned, is cancelled.
      settleCancelled(unseen);
    } else {
      settleLike(outcome);
    }
  }

  @Override
  PromiseImpl<?> awaitedNow() {
    return awaiting;
  }

  @Override
  void deferCancel(String message) {
    pendingCancel = new CancelledException(message);
  }

  /** Loop.close(): stops waiting for a body that outlived cancellation; it ends on its own. */
  void abandon() {
    abandoned = true;
    Thread t = thread;
    if (t != null) {
      t.interrupt();
      LockSupport.unpark(t);
    }
    if (loopThread != null) {
      LockSupport.unpark(loopThread);
    }
  }

  /** Whether the body's thread has exited (or never started). */
  boolean threadEnded() {
    Thread t = thread;
    return t == null || !t.isAlive();
  }

  /** Waits up to {@code millis} for the body's thread to end; true if it did (or never started). */
  boolean awaitEnd(long millis) throws InterruptedException {
    Thread t = thread;
    if (t == null) {
      return true;
    }
    t.join(Math.max(1, millis));
    return !t.isAlive();
  }

  // ---------------------------------------------------------------- the body's side

  private void runBody() {
    CURRENT.set(this);
    owner.bindToThread();
    Object end;
    try {
      T value = body.call();
      end = value == null ? NULL : value;
    } catch (Throwable t) {
      end = Failure.failed(t);
    } finally {
      owner.unbindFromThread();
      CURRENT.remove();
    }
    outcome = end;
    owner.loop.bodyEnded(this);
    baton = ENDED;
    LockSupport.unpark(loopThread);
  }

  private <V> V suspendUntilSettled(PromiseImpl<V> p) {
    if (abandoned) {
      throw new LoopClosedError(this);
    }
    Object r = p.result;
    if (r == null) {
      CancelledException cancel = pendingCancel;
      if (cancel == null) {
        cancel = ((TaskImpl<?>) task).takeCancelRequest();
      }
      if (cancel != null) {
        pendingCancel = null;
        throw cancel;
      }
      awaiting = p;
      p.addListener(this);
      passBaton(LOOP);
      awaiting = null;
      if (abandoned) {
        throw new LoopClosedError(this);
      }
      r = p.result;
    }
    p.markRetrieved();
    return p.valueOf(r);
  }

  /**
   * Runs {@code action} on the loop's Netty thread now and returns when it ran: the waiting loop
   * thread runs it for the body. Called by the body holding the loop.
   */
  void runOnLoopThread(Runnable action) {
    request = action;
    passBaton(REQUEST);
    Throwable failed = requestFailure;
    if (failed != null) {
      requestFailure = null;
      throw PromiseImpl.rethrowable(failed);
    }
  }

  /** Gives the baton to the loop thread and waits for it back (body thread). */
  private void passBaton(int to) {
    baton = to;
    LockSupport.unpark(loopThread);
    boolean interrupted = false;
    while (baton != BODY && !abandoned) {
      LockSupport.park(this);
      if (Thread.interrupted()) {
        interrupted = true; // keep it for the body, but do not spin on it here
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The scheduler of a body's virtual thread carried by the loop thread: the loop thread runs the
   * body at once when it hands the loop over (start, unpark); a continuation scheduled elsewhere
   * (a blocking call inside the body ended) goes to the loop thread waiting for the body, or, if
   * the body is suspended in an await, to a later pass of the loop, where it parks again.
   * Either way the body only ever runs on the loop thread while it holds the loop.
   */
  private final class Carrier implements java.util.concurrent.Executor {
    /** The body thread's continuation: the first one scheduled, by the loop thread's start(). */
    private Runnable own;

    @Override
    public void execute(Runnable continuation) {
      if (own == null && Thread.currentThread() == loopThread) {
        own = continuation;
      }
      if (continuation != own) {
        // Another virtual thread the body started (Aio.toThread, its own threads): it inherited
        // this scheduler, but must run where virtual threads normally run, off the loop.
        BodyThreads.jdkScheduler().execute(continuation);
      } else if (Thread.currentThread() == loopThread) {
        continuation.run();
      } else if (abandoned) {
        Thread t = new Thread(continuation, "aionet-async-closed");
        t.setDaemon(true);
        t.start(); // the loop is gone: any thread may carry the body to its end
      } else {
        mounts.add(continuation);
        LockSupport.unpark(loopThread);
        if (baton == LOOP) {
          // Suspended in an await (a stray unpark): no hand-off waits for it, so a later pass
          // runs it, unless a hand-off that starts meanwhile takes it first.
          owner.execute(this::runMounts);
        }
      }
    }

    private void runMounts() {
      for (Runnable r = mounts.poll(); r != null; r = mounts.poll()) {
        r.run();
      }
    }
  }

  /** Whether the calling thread is this body's thread. */
  boolean isBodyThread() {
    return Thread.currentThread() == thread;
  }

  private String describe() {
    return task == null ? "(not started)" : task.describe();
  }

  @Override
  public String toString() {
    return "async body of " + describe();
  }

  /** Thrown by every await of a body its closed loop abandoned: it ends the body's thread. */
  static final class LoopClosedError extends Error {
    private static final long serialVersionUID = 1L;

    LoopClosedError(AsyncBody<?> body) {
      super("the loop closed while " + body + " still ran", null, false, false);
    }
  }
}
