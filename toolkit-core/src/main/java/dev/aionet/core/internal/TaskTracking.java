package dev.aionet.core.internal;

import dev.aionet.core.LoopError;
import java.lang.ref.Cleaner;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a loop remembers about one task so it can report "Task exception was never retrieved"
 * (asyncio's {@code _log_traceback}) once the task is unreachable or the loop closes.
 *
 * <p>It holds no reference to the task, so it can serve as the task's {@link Cleaner} action.
 * It is made only when a task fails and nobody has observed the failure yet, so the common path
 * (success, or a failure someone awaits) costs nothing.
 */
final class TaskTracking implements Runnable {
  private static final Cleaner CLEANER = Cleaner.create();

  private final LoopCore loop;
  private final String name;
  /** Where the task was created; captured in debug mode only. */
  private final Throwable creationSite;
  private final Throwable failure;
  private volatile boolean retrieved;
  private final AtomicBoolean reported = new AtomicBoolean();

  TaskTracking(LoopCore loop, String name, Throwable creationSite, Throwable failure) {
    this.loop = loop;
    this.name = name;
    this.creationSite = creationSite;
    this.failure = failure;
  }

  /** Where a task was created, formatted for a report; empty unless captured (debug mode). */
  static String describeSite(Throwable creationSite) {
    return creationSite == null ? "" : "\n  task created at:" + LoopCore.describeSite(creationSite);
  }

  void markRetrieved() {
    retrieved = true;
  }

  /** Reports when the task becomes unreachable (the Cleaner) or the loop closes, whichever first. */
  void watch(TaskImpl<?> task) {
    loop.watchUnretrieved(this);
    CLEANER.register(task, this);
  }

  /** Reports the failure if nobody retrieved it; at most once. Any thread. */
  @Override
  public void run() {
    loop.unwatchUnretrieved(this);
    if (retrieved || !reported.compareAndSet(false, true)) {
      return;
    }
    String message = "Task exception was never retrieved: task " + name + describeSite(creationSite);
    loop.reportError(new LoopError(message, failure, Optional.empty(), Optional.empty()));
  }
}
