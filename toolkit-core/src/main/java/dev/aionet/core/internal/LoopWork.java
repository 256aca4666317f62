package dev.aionet.core.internal;

/**
 * Work handed to a loop thread from another thread ({@link LoopThread#execute}) that answers for
 * itself if the loop thread has shut down and refuses it: it settles the promise waiting on it and
 * releases the buffers it owns, so nothing waits forever and nothing leaks. Its {@code toString()}
 * names it in the one warning a closed loop logs.
 *
 * <p>Work that is itself a promise (a read) or already one object per call (a write hop) costs
 * nothing more by being a {@code LoopWork}.
 */
public interface LoopWork extends Runnable {

  /**
   * The loop thread refused this work because it has shut down: settle what waits on it (fail it
   * with {@code loopClosed}, or cancel it where a cancel was asked for) and release what it owns.
   * Called at most once, on the thread that handed the work over; must not block.
   *
   * @param loopClosed {@code IllegalStateException("loop is closed")}
   */
  void refused(IllegalStateException loopClosed);
}
