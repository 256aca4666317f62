package dev.aionet.core.internal;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Ticker;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loop thread's state: its ready queue, the task running now, and the nesting depth of
 * inline continuations.
 *
 * <pre>
 *   callSoon(cb) ──► ready queue ──► drain(): one turn = the callbacks queued when it started
 *                                       │
 *      work queued during the turn ─────┘──► schedule(drain, 0): the next turn runs after
 *                                            Netty has polled I/O and run due timers
 * </pre>
 *
 * <p>Why not {@code executor.execute} for every callback: Netty runs tasks submitted during a
 * pass in the same pass (up to its time quantum), so a callback that reschedules itself would
 * starve timers and socket reads. A zero-delay scheduled task is only picked up at the start of
 * the next pass, after I/O.
 *
 * <p>Everything here except {@link #execute} and {@link #callSoonFromAnyThread} is confined to
 * the loop thread. Work handed over from another thread after the loop thread shut down is
 * refused ({@link LoopWork}): its promise settles, its buffers are released, and the loop logs
 * one warning.
 */
public final class LoopThread {
  private static final Logger log = LoggerFactory.getLogger(LoopThread.class);

  /** Continuations nested deeper than this on one stack continue on the next turn. */
  static final int MAX_INLINE_DEPTH = 64;

  private static final FastThreadLocal<LoopThread> CURRENT = new FastThreadLocal<>();

  final EventExecutor executor;
  final LoopCore loop;
  private final ArrayDeque<Runnable> ready = new ArrayDeque<>();
  private final Runnable drain = this::drain;
  private boolean drainScheduled;
  /** True while {@link #runCallback} runs something: aionet's code, not Netty's I/O phase. */
  private boolean runningCallback;
  private int depth;
  private final LoopTimers timers = new LoopTimers(this);
  /** Turn counters behind {@code Loop.stats()}. */
  final LoopTurns turns;
  /** The event loop's clock: Netty's system ticker, or a virtual one (the test kit's loop). */
  private final Ticker ticker;
  /**
   * Whether the clock is not the system's (the test kit's virtual clock). Such a clock jumps to
   * the next deadline armed with Netty, so the timers keep nothing armed that nobody waits for.
   */
  final boolean virtualClock;

  /**
   * This thread's unfinished tasks, an intrusive list through {@link TaskImpl#prevTask} and
   * {@link TaskImpl#nextTask}: strong references, so a fire-and-forget task is never collected
   * mid-flight, at O(1) and no allocation per task. Guarded by {@link #tasksLock}, since
   * {@code allTasks()} and {@code Loop.close()} read it from other threads.
   */
  private final Object tasksLock = new Object();
  private TaskImpl<?> tasksHead;
  /** How many tasks that list holds; written under {@link #tasksLock}. */
  private volatile int tasksAlive;

  /** See {@link #completedVoid()}. */
  private final PromiseImpl<Void> completedVoid = new PromiseImpl<>(this, PromiseImpl.NULL);

  /** The task whose step or derivation runs now on this thread (asyncio's current_task). */
  TaskImpl<?> currentTask;

  /** The async body this thread has handed the loop to, while it runs; null otherwise. */
  volatile AsyncBody<?> heldBy;

  LoopThread(EventExecutor executor, LoopCore loop) {
    this.executor = executor;
    this.loop = loop;
    this.turns = new LoopTurns(loop.slowCallbackNanos());
    this.ticker = executor.ticker();
    this.virtualClock = ticker != Ticker.systemTicker();
  }

  /** The context of the calling loop thread, or null off every loop. */
  public static LoopThread current() {
    return CURRENT.getIfExists();
  }

  /** The calling thread's context, or {@code IllegalStateException("no running event loop")}. */
  public static LoopThread require() {
    LoopThread c = CURRENT.getIfExists();
    if (c == null) {
      throw new IllegalStateException("no running event loop");
    }
    return c;
  }

  void bindToThread() {
    CURRENT.set(this);
  }

  void unbindFromThread() {
    if (CURRENT.getIfExists() == this) {
      CURRENT.remove();
    }
  }

  void register(TaskImpl<?> task) {
    synchronized (tasksLock) {
      task.nextTask = tasksHead;
      if (tasksHead != null) {
        tasksHead.prevTask = task;
      }
      tasksHead = task;
      tasksAlive++;
    }
  }

  void unregister(TaskImpl<?> task) {
    synchronized (tasksLock) {
      if (task.prevTask != null) {
        task.prevTask.nextTask = task.nextTask;
      } else if (tasksHead == task) {
        tasksHead = task.nextTask;
      } else {
        return; // not listed (already removed)
      }
      if (task.nextTask != null) {
        task.nextTask.prevTask = task.prevTask;
      }
      task.prevTask = null;
      task.nextTask = null;
      tasksAlive--;
    }
  }

  void collectTasks(java.util.Collection<? super TaskImpl<?>> into) {
    synchronized (tasksLock) {
      for (TaskImpl<?> t = tasksHead; t != null; t = t.nextTask) {
        into.add(t);
      }
    }
  }

  public LoopCore loop() {
    return loop;
  }

  /** This thread's turn counters (a read burst counts itself as a turn through them). */
  public LoopTurns turns() {
    return turns;
  }

  int tasksAlive() {
    return tasksAlive;
  }

  /** Callbacks queued for the next turn; exact on this thread, a racy snapshot elsewhere. */
  int readyCallbacks() {
    return ready.size();
  }

  public EventExecutor executor() {
    return executor;
  }

  /**
   * Whether the caller may touch this thread's loop-confined state now: on the loop thread, or
   * in the async body it handed the loop to (which runs while the loop thread waits).
   */
  public boolean inEventLoop() {
    return executor.inEventLoop() || heldByCaller();
  }

  private boolean heldByCaller() {
    AsyncBody<?> body = heldBy;
    return body != null && body.isBodyThread();
  }

  /**
   * Runs {@code action} on the Netty thread itself, for operations Netty must see there (a
   * channel write that must not be queued behind later writes): at once on the loop thread; from
   * the async body holding the loop, by the waiting loop thread before this returns; from any
   * other thread, on a later pass ({@link #execute}).
   */
  public void runOnLoopThread(Runnable action) {
    if (!ranOnLoopThreadNow(action)) {
      execute(action);
    }
  }

  /**
   * {@link #runOnLoopThread(Runnable)} for the hop of a public call: {@code method} and
   * {@code target} name it in the loop's warning if a shut-down loop thread refuses it, and
   * {@code settles} (the call's promise, or null) then fails with
   * {@code IllegalStateException("loop is closed")} instead of waiting forever. Only a hop from
   * another thread costs the object that carries these.
   */
  public void runOnLoopThread(Runnable action, String method, Object target, PromiseImpl<?> settles) {
    if (!ranOnLoopThreadNow(action)) {
      execute(new Call(action, method, target, settles));
    }
  }

  /** Runs {@code action} now where the caller may (the Netty thread, its body); false: it must hop. */
  private boolean ranOnLoopThreadNow(Runnable action) {
    if (executor.inEventLoop()) {
      action.run();
      return true;
    }
    AsyncBody<?> body = heldBy;
    if (body != null && body.isBodyThread()) {
      body.runOnLoopThread(action);
      return true;
    }
    return false;
  }

  /** A public call's action, handed to the loop thread from another thread. */
  private static final class Call implements LoopWork {
    private final Runnable action;
    private final String method;
    private final Object target;
    private final PromiseImpl<?> settles;

    Call(Runnable action, String method, Object target, PromiseImpl<?> settles) {
      this.action = action;
      this.method = method;
      this.target = target;
      this.settles = settles;
    }

    @Override
    public void run() {
      action.run();
    }

    @Override
    public void refused(IllegalStateException loopClosed) {
      if (settles != null) {
        settles.tryFail(loopClosed);
      }
    }

    @Override
    public String toString() {
      return method + " on " + target;
    }
  }

  /**
   * A promise of this thread that completed with {@code null}: what an operation that finished
   * at once returns (a {@code drain()} with nothing to wait for) without allocating. Settled
   * promises are immutable, so it is shared.
   */
  public dev.aionet.core.Promise<Void> completedVoid() {
    return completedVoid;
  }

  /**
   * A new promise of this thread, already settled with {@code value}: what an operation that
   * finished at once returns (a read of buffered bytes) without a pending promise's settling.
   *
   * @param value the value, may be null
   * @param <T> the value type
   * @return the settled promise
   */
  public <T> dev.aionet.core.Promise<T> completed(T value) {
    return new PromiseImpl<>(this, value == null ? PromiseImpl.NULL : value);
  }

  /**
   * Makes {@code task} the running task (asyncio's {@code _enter_task}) and returns the one it
   * replaces, for {@link #exitTask}. Loop thread only.
   */
  TaskImpl<?> enterTask(TaskImpl<?> task) {
    TaskImpl<?> previous = currentTask;
    currentTask = task;
    return previous;
  }

  /** Restores the running task {@link #enterTask} replaced. */
  void exitTask(TaskImpl<?> previous) {
    currentTask = previous;
  }

  /** Returns the running task, or null (inside a plain callback). */
  public TaskImpl<?> currentTask() {
    return currentTask;
  }

  /**
   * This thread's loop time in seconds (asyncio's {@code loop.time()}). It reads the event loop's
   * Netty {@link Ticker}, the clock Netty's own scheduled tasks and {@code IdleStateHandler} use,
   * so every timer of the loop follows one clock, real or virtual. Any thread.
   */
  public double time() {
    return ticker.nanoTime() / 1e9;
  }

  /**
   * {@link #time()} at the moment {@code System.nanoTime()} read {@code systemNanos}, for a loop
   * on the system clock (Netty's system ticker is {@code System.nanoTime()} less a fixed origin).
   */
  double timeAtSystemNanos(long systemNanos) {
    return (systemNanos - SYSTEM_TICKER_ORIGIN) / 1e9;
  }

  /** {@code System.nanoTime()} at Netty's system ticker's zero. */
  private static final long SYSTEM_TICKER_ORIGIN = System.nanoTime() - Ticker.systemTicker().nanoTime();

  /** {@link #time()} in nanoseconds, the unit of Netty's scheduler. Any thread. */
  public long nanoTime() {
    return ticker.nanoTime();
  }

  /**
   * Runs {@code callback} once loop time reaches {@code when}; timers due at the same time fire in
   * the order they were made (asyncio). Any thread.
   */
  public dev.aionet.core.TimerHandle callAt(double when, Runnable callback) {
    return timers.callAt(when, callback);
  }

  /** asyncio's call_later on this thread's timers. Any thread. */
  public dev.aionet.core.TimerHandle callLater(java.time.Duration delay, Runnable callback) {
    return timers.callLater(delay, callback);
  }

  /**
   * Runs {@code work} on this loop thread as a Netty task (a hop from another thread). If the loop
   * thread has shut down, the work is refused: a {@link LoopWork} settles what waits on it and
   * releases what it owns ({@link #refuse}), and the loop logs one warning naming it.
   */
  public void execute(Runnable work) {
    try {
      executor.execute(work);
    } catch (RejectedExecutionException closed) {
      refuse(work, closed);
    }
  }

  /**
   * Runs clean-up on this loop thread as {@link #execute} does (dropping a cancelled read's
   * waiter, a cancelled timer), for work that only matters while the loop thread runs: once it has
   * shut down there is nothing left to clean, so the work is skipped without a warning.
   */
  public void executeCleanup(Runnable cleanup) {
    try {
      executor.execute(cleanup);
    } catch (RejectedExecutionException closed) {
      log.debug("{} is shut down; no clean-up needed: {}", this, cleanup);
    }
  }

  /** Refusals running on this thread, so a refusal that refuses more (a chain) needs no stack. */
  private static final ThreadLocal<ArrayDeque<LoopWork>> REFUSING = new ThreadLocal<>();

  /**
   * Answers for work this shut-down loop thread refused: the loop's first refusal is logged at
   * WARN, later ones at DEBUG (one warning per loop, however many items a flood drops); a
   * {@link LoopWork} settles and releases what it carries. Settling a promise may refuse more
   * work (the continuations waiting on it): that runs in this loop, not deeper in the stack.
   */
  private void refuse(Runnable work, RejectedExecutionException cause) {
    if (loop.firstRefusal()) {
      log.warn("{} is closed and dropped {}; work handed to a closed loop is refused: its promises fail with "
          + "IllegalStateException(\"loop is closed\") (or end cancelled when a cancel was asked for) and its "
          + "buffers are released; further refusals of this loop are logged at DEBUG", this, work);
    } else {
      log.debug("{} is closed and dropped {}", this, work);
    }
    if (!(work instanceof LoopWork)) {
      return;
    }
    ArrayDeque<LoopWork> refusing = REFUSING.get();
    if (refusing != null) {
      refusing.add((LoopWork) work);
      return;
    }
    refusing = new ArrayDeque<>();
    REFUSING.set(refusing);
    try {
      for (LoopWork w = (LoopWork) work; w != null; w = refusing.poll()) {
        try {
          w.refused(loopClosed(cause));
        } catch (RuntimeException e) {
          log.warn("refusing {} failed", w, e);
        }
      }
    } finally {
      REFUSING.remove();
    }
  }

  /** The failure of work a closed loop refused. */
  private static IllegalStateException loopClosed(RejectedExecutionException cause) {
    return new IllegalStateException("loop is closed", cause);
  }

  /** Queues {@code callback} for a later turn (asyncio's call_soon). Loop thread only. */
  public void callSoon(Runnable callback) {
    if (loop.debug && !inEventLoop()) {
      // debug mode checks that loop-confined state is touched only on its loop thread
      throw new IllegalStateException("callSoon() called off the loop thread " + executor
          + " by " + Thread.currentThread() + "; use callSoonFromAnyThread()");
    }
    ready.add(callback);
    if (!drainScheduled) {
      drainScheduled = true;
      execute(drain);
    }
  }

  /** Queues {@code callback} for a later turn from any thread (call_soon_threadsafe). */
  public void callSoonFromAnyThread(Runnable callback) {
    if (inEventLoop()) {
      callSoon(callback);
    } else {
      execute(new CallSoon(callback));
    }
  }

  /** A callback queued from another thread; refused, it lets a {@link LoopWork} callback answer. */
  private final class CallSoon implements LoopWork {
    private final Runnable callback;

    CallSoon(Runnable callback) {
      this.callback = callback;
    }

    @Override
    public void run() {
      callSoon(callback);
    }

    @Override
    public void refused(IllegalStateException loopClosed) {
      if (callback instanceof LoopWork) {
        ((LoopWork) callback).refused(loopClosed);
      }
    }

    @Override
    public String toString() {
      return String.valueOf(callback);
    }
  }

  /** One turn: runs the callbacks that were ready when it began; later ones wait a turn. */
  private void drain() {
    AsyncBody<?> body = heldBy;
    if (body != null) {
      // Cannot happen while the hand-off is right: the loop thread waits while a body runs.
      loop.reportError("a turn of " + executor + " ran while " + body + " held the loop",
          new IllegalStateException("async body exclusion broken"), currentTask, null);
    }
    turns.begin();
    int n = ready.size();
    Runnable first = ready.peek();
    for (int i = 0; i < n; i++) {
      runCallback(ready.poll());
    }
    turns.end(first, n);
    if (ready.isEmpty()) {
      drainScheduled = false;
    } else {
      try {
        executor.schedule(drain, 0, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException closed) {
        drainScheduled = false;
        log.debug("loop thread {} is shut down; {} callbacks not run", executor, ready.size());
      }
    }
  }

  /** Runs a loop callback; what it throws goes to the loop's exception handler. */
  void runCallback(Runnable callback) {
    runCallback(callback, callback);
  }

  /**
   * Runs {@code callback}, described by {@code what} in reports: what it throws goes to the
   * exception handler, and in debug mode a run longer than the slow-callback duration is logged
   * (asyncio's slow_callback_duration). With debug off the only cost is one volatile read.
   */
  public void runCallback(Runnable callback, Object what) {
    long start = loop.debug ? System.nanoTime() : 0L;
    boolean outer = runningCallback;
    runningCallback = true;
    try {
      callback.run();
    } catch (Throwable t) {
      loop.reportError("Exception in callback " + what, t, currentTask, null);
    } finally {
      runningCallback = outer;
      if (start != 0L) {
        loop.checkSlow(what, start);
      }
    }
  }

  /**
   * Whether this thread is inside a callback aionet runs (a turn's callback, a timer, a hop from
   * another thread), as opposed to Netty's own I/O processing. Loop thread only.
   */
  public boolean isRunningCallback() {
    return runningCallback;
  }

  /** How many callbacks wait for the next turn. Loop thread only. */
  public int readyCount() {
    return ready.size();
  }

  /**
   * Continues {@code listener} inline, unless the stack already holds
   * {@link #MAX_INLINE_DEPTH} nested continuations: then it continues on the next turn.
   */
  void runNested(Continuation continuation, PromiseImpl<?> source) {
    if (depth < MAX_INLINE_DEPTH) {
      depth++;
      try {
        continuation.resume(source);
      } finally {
        depth--;
      }
    } else {
      callSoon(() -> continuation.resumeAfterDepthBound(source));
    }
  }

  /**
   * Enters one more level of inline continuation if the nesting bound allows (the same bound as
   * {@link #runNested}); a true result must be paired with {@link #exitInline()}. Loop thread only.
   */
  boolean tryEnterInline() {
    if (depth < MAX_INLINE_DEPTH) {
      depth++;
      return true;
    }
    return false;
  }

  void exitInline() {
    depth--;
  }

  /** Hops to this loop thread if needed, then continues as {@link #runNested}. */
  void dispatch(Continuation continuation, PromiseImpl<?> source) {
    if (inEventLoop()) {
      runNested(continuation, source);
    } else {
      execute(new Hop(continuation, source));
    }
  }

  /** A continuation resumed on this thread after its source settled on another. */
  final class Hop implements LoopWork {
    private final Continuation continuation;
    private final PromiseImpl<?> source;

    Hop(Continuation continuation, PromiseImpl<?> source) {
      this.continuation = continuation;
      this.source = source;
    }

    Continuation continuation() {
      return continuation;
    }

    @Override
    public void run() {
      turns.begin();
      runCallback(() -> runNested(continuation, source), this);
      turns.end(this, 1);
    }

    @Override
    public void refused(IllegalStateException loopClosed) {
      continuation.refused(loopClosed);
    }

    @Override
    public String toString() {
      return "continuation " + continuation.getClass().getSimpleName() + " of " + source;
    }
  }

  @Override
  public String toString() {
    return "LoopThread[" + executor + "]";
  }
}
