package dev.aionet.core.internal;

/**
 * Where the loop reports to JFR: {@code dev.aionet.SlowTurn} (enabled by default) and {@code
 * dev.aionet.TaskEnd} (disabled by default), recorded when a JFR recording asks for them.
 *
 * <p>Nothing here runs on a normal turn: a slow turn is rare, and whether task ends are wanted is
 * one volatile read while no recording was ever started in the JVM. A runtime built without the
 * {@code jdk.jfr} module records nothing and never loads {@link JfrEvents}.
 */
final class LoopEvents {
  private static final boolean JFR = ModuleLayer.boot().findModule("jdk.jfr").isPresent();

  private LoopEvents() {}

  /** Records a slow turn, if a recording wants it. */
  static void slowTurn(Object what, int callbacks, long tookNanos) {
    if (JFR) {
      JfrEvents.slowTurn(what, callbacks, tookNanos);
    }
  }

  /** A task's begun end event when a recording wants task ends, else null. */
  static Object taskStarted() {
    return JFR ? JfrEvents.taskStarted() : null;
  }

  /** Commits the event {@link #taskStarted} returned, for a task that has settled. */
  static void taskEnded(Object started, String name, dev.aionet.core.Promise.State outcome, Throwable failure) {
    JfrEvents.taskEnded(started, name, outcome, failure);
  }
}
