package dev.aionet.samples;

import dev.aionet.core.Aio;
import dev.aionet.core.Loop;
import dev.aionet.core.LoopOptions;
import dev.aionet.core.Promise;
import java.time.Duration;

/**
 * asyncio's debug mode, in aionet: a callback that blocks the loop is reported with what it was
 * and how long it took, and a task whose failure nobody looked at is reported with where it was
 * created. Turn it on with {@code LoopOptions.debug(true)}, {@code -Daionet.debug=true} or
 * {@code AIONET_DEBUG=1} (Python: {@code PYTHONASYNCIODEBUG=1}).
 */
public final class DebugMode {
  private DebugMode() {}

  static Promise<Void> asyncMain() {
    // 1. A task whose step blocks the loop for 150 ms (time.sleep in a coroutine, the classic bug):
    //    debug mode logs "Executing step of Task[blocker ...] took 0.150 seconds".
    Aio.createTask(() -> {
      blockTheLoop(Duration.ofMillis(150));
      return Promise.completed(null);
    }, "blocker");

    // 2. A task that fails while nobody awaits it: "Task exception was never retrieved", with the
    //    line of this file that created it, reported when the loop closes (or the task is collected).
    Aio.createTask(() -> Promise.failed(new IllegalStateException("nobody looked at me")), "forgotten");

    return Aio.sleep(Duration.ofMillis(200));
  }

  @SuppressWarnings("BusyWait")
  private static void blockTheLoop(Duration d) {
    long end = System.nanoTime() + d.toNanos();
    while (System.nanoTime() < end) {
      Thread.onSpinWait(); // stands for any blocking call made on the loop thread
    }
  }

  /**
   * Runs the program with debug mode on; the reports go to the loop's exception handler, here
   * printed.
   *
   * @param args ignored
   */
  public static void main(String... args) {
    LoopOptions debug = LoopOptions.builder().debug(true).slowCallbackDuration(Duration.ofMillis(100)).build();
    try (Loop loop = Loop.create(debug)) {
      loop.setExceptionHandler(error -> System.out.println("exception handler: " + error.message()
          + "\n  exception: " + error.exception()));
      loop.runUntilComplete(DebugMode::asyncMain);
    }
  }
}
