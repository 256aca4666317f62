package dev.aionet.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Loop;
import dev.aionet.core.Promise;
import dev.aionet.core.Task;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tasks started with a shared name prefix are named the prefix and a number of their own. */
@Timeout(30)
class TaskNamePrefixTest {

  @Test
  void tasksStartedWithOnePrefixHaveDistinctNamesThatStartWithIt() {
    try (Loop loop = Loop.create()) {
      List<String> names = loop.runUntilComplete(() -> {
        LoopThread ctx = LoopThread.require();
        TaskImpl.NamePrefix prefix = new TaskImpl.NamePrefix("client-");
        List<Task<String>> tasks = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          tasks.add(TaskImpl.startNumbered(ctx, () -> Promise.completed(
              dev.aionet.core.Aio.currentTask().orElseThrow().name()), prefix));
        }
        return dev.aionet.core.Aio.gather(tasks);
      });
      assertThat(names).hasSize(50).allMatch(name -> name.matches("client-[0-9]+"));
      assertThat(new HashSet<>(names)).hasSize(50);
    }
  }

  @Test
  void aNumberedTaskCanBeRenamed() {
    try (Loop loop = Loop.create()) {
      String name = loop.runUntilComplete(() -> {
        TaskImpl<String> t = TaskImpl.startNumbered(LoopThread.require(), () -> Promise.completed("x"),
            new TaskImpl.NamePrefix("client-"));
        String before = t.name();
        t.setName("renamed");
        return t.thenApply(x -> before + " " + t.name() + " " + t);
      });
      assertThat(name).matches("client-[0-9]+ renamed Task\\[renamed SUCCEEDED on .*");
    }
  }
}
