package dev.aionet.core.internal;

/**
 * {@code join()}: blocking a thread that is on no loop until a promise settles. Each blocked
 * thread waits on the promise's monitor, woken by one listener the first join registers, so a
 * promise nobody joins spends no field on counting waiters.
 */
final class Joining {
  private Joining() {}

  /** Wakes the threads blocked in join() on the settled promise. */
  private static final Listener WAKE_JOINERS = source -> {
    synchronized (source) {
      source.notifyAll();
    }
  };

  /**
   * Waits for {@code p} as {@code join()} does: refuses on a loop thread, where it would block the
   * loop; {@code nanos} -1 waits forever. Returns whether it settled in time.
   */
  static boolean await(PromiseImpl<?> p, long nanos) {
    if (LoopThread.current() != null) {
      throw new IllegalStateException("join() on an event loop thread would block the loop (" + p
          + "); chain with thenApply/thenCompose instead, or call join() from a non-loop thread");
    }
    return awaitSettled(p, nanos);
  }

  /** Waits until {@code p} settled or {@code nanos} pass ({@code -1}: forever); keeps an interrupt pending. */
  static boolean awaitSettled(PromiseImpl<?> p, long nanos) {
    boolean interrupted = false;
    long deadline = nanos < 0 ? 0 : System.nanoTime() + nanos;
    try {
      synchronized (p) {
        if (p.result != null) {
          return true;
        }
        p.addListener(WAKE_JOINERS);
        while (p.result == null) {
          long waitNanos = 0;
          if (nanos >= 0) {
            waitNanos = deadline - System.nanoTime();
            if (waitNanos <= 0) {
              p.removeListener(WAKE_JOINERS); // a settle racing the deadline may still run it: a notifyAll nobody waits for
              return false;
            }
          }
          try {
            if (nanos < 0) {
              p.wait();
            } else {
              p.wait(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
            }
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
        return true;
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
