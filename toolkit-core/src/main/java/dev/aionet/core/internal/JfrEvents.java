package dev.aionet.core.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The loop's JFR events: {@code dev.aionet.SlowTurn} (enabled by default) and {@code
 * dev.aionet.TaskEnd} (disabled by default). Only {@link LoopEvents} calls here, and only when
 * the runtime has the {@code jdk.jfr} module.
 */
final class JfrEvents {
  private JfrEvents() {}

  /** A turn that held its loop thread longer than the slow-callback duration. */
  @Name("dev.aionet.SlowTurn")
  @Label("Slow Turn")
  @Category({"aionet", "Loop"})
  @Description("A turn of an aionet loop thread that ran longer than the loop's slow-callback duration")
  @Enabled(true)
  @StackTrace(false)
  static final class SlowTurn extends Event {
    @Label("What")
    @Description("The callback, task step, timer or connection read the turn ran (if several, how many and the first)")
    String what;

    @Label("Task")
    @Description("The name of the task whose step or continuation the turn ran, if any")
    String task;

    @Label("Callbacks")
    @Description("How many callbacks the turn ran")
    int callbacks;

    @Label("Turn Duration")
    @Timespan(Timespan.NANOSECONDS)
    long turnDuration;
  }

  /** A task that finished; its JFR duration is its lifetime (recorded for tasks made while enabled). */
  @Name("dev.aionet.TaskEnd")
  @Label("Task End")
  @Category({"aionet", "Loop"})
  @Description("An aionet task finished: its name, outcome and lifetime (from creation to end)")
  @Enabled(false)
  @StackTrace(false)
  static final class TaskEnd extends Event {
    @Label("Name")
    String name;

    @Label("Outcome")
    @Description("SUCCEEDED, FAILED or CANCELLED")
    String outcome;

    @Label("Failure")
    @Description("The exception of a failed task: its class and message")
    String failure;
  }

  /** Records a slow turn, if a recording wants it. */
  static void slowTurn(Object what, int callbacks, long tookNanos) {
    SlowTurn event = new SlowTurn();
    if (!event.isEnabled()) {
      return;
    }
    event.what = callbacks > 1 ? callbacks + " callbacks, the first: " + what : String.valueOf(what);
    event.task = taskNameOf(what);
    event.callbacks = callbacks;
    event.turnDuration = tookNanos;
    event.commit();
  }

  private static String taskNameOf(Object what) {
    if (what instanceof TaskImpl.Step) {
      return ((TaskImpl.Step) what).task().name();
    }
    if (what instanceof LoopThread.Hop && ((LoopThread.Hop) what).continuation() instanceof TaskImpl) {
      return ((TaskImpl<?>) ((LoopThread.Hop) what).continuation()).name();
    }
    return null;
  }

  /**
   * Starts a task's end event when a recording wants task ends, else returns null (the common
   * case costs one volatile read).
   */
  static Object taskStarted() {
    if (!FlightRecorder.isInitialized() || !TaskEndType.TYPE.isEnabled()) {
      return null;
    }
    TaskEnd event = new TaskEnd();
    event.begin();
    return event;
  }

  /** Commits the event {@link #taskStarted} returned for a task that has settled. */
  static void taskEnded(Object started, String name, dev.aionet.core.Promise.State outcome, Throwable failure) {
    TaskEnd event = (TaskEnd) started;
    event.end();
    if (event.shouldCommit()) {
      event.name = name;
      event.outcome = outcome.name();
      event.failure = outcome == dev.aionet.core.Promise.State.FAILED && failure != null ? failure.toString() : null;
      event.commit();
    }
  }

  /** Looked up once a recording exists: the lookup registers the event with JFR. */
  private static final class TaskEndType {
    static final EventType TYPE = EventType.getEventType(TaskEnd.class);
  }
}
