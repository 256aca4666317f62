package dev.aionet.test;

import java.util.List;

/**
 * Thrown by {@link TestLoop#run} when its main can never finish: nothing is ready to run, no
 * timer is pending, no channel is open and no call runs off the loop, so nothing could ever
 * complete what the tasks await. {@link #tasks()} names every unfinished task and what it awaits;
 * the main is cancelled before this is thrown.
 *
 * <pre>{@code
 * CompletablePromise<String> never = testLoop.loop().newPromise();
 * DeadlockException e = assertThrows(DeadlockException.class, () -> testLoop.run(() -> never));
 * assertEquals(List.of("Task-1 awaits Promise(PENDING)"), e.tasks());
 * }</pre>
 *
 * @since 0.2
 */
public final class DeadlockException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The report, one line per task; immutable, so the exception stays serializable. */
  private final List<String> tasks;

  /**
   * Creates the report.
   *
   * @param tasks one line per unfinished task: its name and what it awaits
   */
  public DeadlockException(List<String> tasks) {
    super(message(tasks));
    this.tasks = List.copyOf(tasks);
  }

  private static String message(List<String> tasks) {
    StringBuilder b = new StringBuilder("main can never finish: nothing is ready, no timer is pending"
        + " and no channel is open; " + tasks.size() + " unfinished task(s):");
    for (String t : tasks) {
      b.append("\n  ").append(t);
    }
    return b.toString();
  }

  /** Returns each unfinished task's name and what it awaits, e.g. {@code "main awaits task worker"}. */
  public List<String> tasks() {
    return tasks;
  }
}
