package dev.aionet.test.internal;

import dev.aionet.core.Aio;
import dev.aionet.core.Promise;
import dev.aionet.core.Task;
import dev.aionet.core.internal.TaskImpl;
import java.util.ArrayList;
import java.util.List;

/** Names the loop's unfinished tasks and what each awaits, for deadlock and leftover reports. */
public final class TaskReport {
  private TaskReport() {}

  /** One line per unfinished task of the calling loop thread's loop, sorted. Loop thread only. */
  public static List<String> describeAll() {
    List<String> lines = new ArrayList<>();
    for (Task<?> task : Aio.allTasks()) {
      lines.add(describe(task));
    }
    lines.sort(null);
    return lines;
  }

  static String describe(Task<?> task) {
    Promise<?> awaited = task instanceof TaskImpl ? ((TaskImpl<?>) task).awaiting() : null;
    if (awaited == null) {
      return task.name() + " is ready to run";
    }
    if (awaited instanceof Task) {
      return task.name() + " awaits task " + ((Task<?>) awaited).name();
    }
    return task.name() + " awaits " + awaited;
  }
}
