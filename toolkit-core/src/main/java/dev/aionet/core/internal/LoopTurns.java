package dev.aionet.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One loop thread's turn counters, behind {@code Loop.stats()}: turns, slow turns, the longest
 * turn and the latest timer since the last look.
 *
 * <p>Cost per turn: two {@code System.nanoTime()} calls ({@link #begin} and {@link #end}), a few
 * stores and no allocation; only a slow turn allocates (its JFR event and description). The
 * counters are written by the loop thread alone with opaque stores (plain stores on x86: no
 * fence on the hot path) and read from any thread; the maxima are taken and reset atomically by
 * the reader, and a turn ending meanwhile can only write its own duration, never bring back the
 * old maximum.
 */
public final class LoopTurns {
  private static final VarHandle TURNS;
  private static final VarHandle SLOW_TURNS;
  private static final VarHandle MAX_TURN;
  private static final VarHandle MAX_LAG;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      TURNS = lookup.findVarHandle(LoopTurns.class, "turns", long.class);
      SLOW_TURNS = lookup.findVarHandle(LoopTurns.class, "slowTurns", long.class);
      MAX_TURN = lookup.findVarHandle(LoopTurns.class, "maxTurnNanos", long.class);
      MAX_LAG = lookup.findVarHandle(LoopTurns.class, "maxTimerLagNanos", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final long slowNanos;
  /** When the open turn began, or {@link #NONE}; loop thread only. */
  private long openSince = NONE;
  private static final long NONE = Long.MIN_VALUE;

  private long turns;
  private long slowTurns;
  private long maxTurnNanos;
  private long maxTimerLagNanos;

  public LoopTurns(long slowNanos) {
    this.slowNanos = slowNanos;
  }

  /**
   * Starts a turn the loop runs on its own (a pass over the ready queue or the timers, a hop from
   * another thread): these never nest inside another turn, so whatever was open is dropped.
   *
   * @return the start, {@code System.nanoTime()}
   */
  public long begin() {
    long now = System.nanoTime();
    openSince = now;
    return now;
  }

  /**
   * Starts a turn unless one is open: a read burst, which Netty's I/O processing may run inside
   * something else (an embedded channel written to from a callback). Pair with {@link
   * #endIfOpened}.
   *
   * @return true if this call opened the turn
   */
  public boolean beginIfNone() {
    if (openSince != NONE) {
      return false;
    }
    openSince = System.nanoTime();
    return true;
  }

  /**
   * Ends the turn {@link #beginIfNone} opened, describing it as {@code what} should it have been
   * slow.
   *
   * @param what the callback, timer or connection the turn ran (its {@code toString()} is read
   *     only for a slow turn)
   * @param callbacks how many callbacks the turn ran
   */
  public void endIfOpened(Object what, int callbacks) {
    end(what, callbacks);
  }

  /**
   * Ends the open turn.
   *
   * @param what what the turn ran, for a slow turn's report
   * @param callbacks how many callbacks the turn ran
   */
  public void end(Object what, int callbacks) {
    long since = openSince;
    if (since == NONE) {
      return; // closed already (a read burst nested in it ended it): counted once
    }
    long took = System.nanoTime() - since;
    openSince = NONE;
    TURNS.setOpaque(this, turns + 1);
    if (took > (long) MAX_TURN.getOpaque(this)) {
      MAX_TURN.setOpaque(this, took);
    }
    if (took >= slowNanos) {
      SLOW_TURNS.setOpaque(this, slowTurns + 1);
      LoopEvents.slowTurn(what, callbacks, took);
    }
  }

  /** Records that a timer ran {@code lagNanos} after its deadline. Loop thread only. */
  void timerLag(long lagNanos) {
    if (lagNanos > (long) MAX_LAG.getOpaque(this)) {
      MAX_LAG.setOpaque(this, lagNanos);
    }
  }

  long turns() {
    return (long) TURNS.getOpaque(this);
  }

  long slowTurns() {
    return (long) SLOW_TURNS.getOpaque(this);
  }

  /** The longest turn since the previous call, which starts a new period. Any thread. */
  long takeMaxTurnNanos() {
    return (long) MAX_TURN.getAndSet(this, 0L);
  }

  /** The latest timer's lag since the previous call, which starts a new period. Any thread. */
  long takeMaxTimerLagNanos() {
    return (long) MAX_LAG.getAndSet(this, 0L);
  }
}
