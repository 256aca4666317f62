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
 * A task registers with the cleaner only when it fails and nobody has observed the failure yet,
 * so the common path (success, or a failure someone awaits) costs nothing beyond this object.
 */
final class TaskTracking implements Runnable {
  private static final Cleaner CLEANER = Cleaner.create();

  private final LoopCore loop;
  private volatile String name;
  /** Where the task was created; captured in debug mode only. */
  private final Throwable creationSite;
  private volatile boolean retrieved;
  private volatile Throwable failure;
  private final AtomicBoolean reported = new AtomicBoolean();

  TaskTracking(LoopCore loop, String name, Throwable creationSite) {
    this.loop = loop;
    this.name = name;
    this.creationSite = creationSite;
  }

  /** Where the task was created, formatted for a report; empty unless captured (debug mode). */
  String creationSite() {
    return creationSite == null ? "" : "\n  task created at:" + LoopCore.describeSite(creationSite);
  }

  void rename(String newName) {
    this.name = newName;
  }

  void markRetrieved() {
    retrieved = true;
  }

  void onTaskDone(TaskImpl<?> task) {
    loop.untrack(task);
    Object r = task.result;
    if (!retrieved && r instanceof Failure && !((Failure) r).cancelled) {
      failure = ((Failure) r).cause;
      loop.watchUnretrieved(this);
      CLEANER.register(task, this);
    }
  }

  /** Reports the failure if nobody retrieved it; at most once. Any thread. */
  @Override
  public void run() {
    loop.unwatchUnretrieved(this);
    Throwable f = failure;
    if (f == null || retrieved || !reported.compareAndSet(false, true)) {
      return;
    }
    String message = "Task exception was never retrieved: task " + name + creationSite();
    loop.reportError(new LoopError(message, f, Optional.empty(), Optional.empty()));
  }
}
