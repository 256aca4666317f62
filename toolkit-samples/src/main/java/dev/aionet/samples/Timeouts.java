package dev.aionet.samples;

import dev.aionet.core.Aio;
import dev.aionet.core.AsyncTimeoutException;
import dev.aionet.core.Outcome;
import dev.aionet.core.Promise;
import java.io.IOException;
import java.util.List;

/**
 * Error handling and timeouts done right: {@code waitFor} gives up on a slow operation and the
 * program recovers; {@code timeout} bounds several steps at once; a failure in a chain is caught;
 * {@code gatherSettled} collects mixed outcomes; in a {@code taskGroup} one failure cancels the
 * siblings.
 */
public final class Timeouts {
  private Timeouts() {}

  /** An operation that takes {@code seconds}, then returns its name. */
  static Promise<String> operation(String name, double seconds) {
    return Aio.sleep(Scale.seconds(seconds), name);
  }

  /** An operation that fails after {@code seconds}. */
  static Promise<String> failing(String name, double seconds) {
    return Aio.sleep(Scale.seconds(seconds)).thenApply(x -> {
      throw new IOException(name + " failed");
    });
  }

  static Promise<Void> asyncMain() {
    // 1. wait_for: give a slow operation 1 s; on timeout it is cancelled and we carry on.
    //    try: await asyncio.wait_for(operation("slow", 3), 1)
    //    except TimeoutError: print("...")
    return Aio.waitFor(operation("slow", 3), Scale.seconds(1))
        .handle((value, error) -> {
          if (error instanceof AsyncTimeoutException) {
            System.out.println("waitFor: too slow, cancelled after 1 s");
          }
          return null;
        })
        // 2. async with asyncio.timeout(1): two steps share one deadline; they fit in it.
        .thenCompose(x -> Aio.timeout(Scale.seconds(1), () ->
            operation("first step", 0.3).thenCompose(first -> operation("second step", 0.3))))
        .thenAccept(last -> System.out.println("timeout: both steps finished in time (" + last + ")"))
        // 3. A failure in the middle of a chain: the steps after it are skipped, exceptionally catches it.
        .thenCompose(x -> failing("connection", 0.1)
            .thenApply(v -> "never reached")
            .exceptionally(e -> "handled error: " + e.getMessage()))
        .thenAccept(System.out::println)
        // 4. gather(..., return_exceptions=True): every outcome, success or failure, in order.
        .thenCompose(x -> Aio.gatherSettled(List.of(operation("one", 0.1), failing("two", 0.1), operation("three", 0.1))))
        .thenAccept(outcomes -> {
          for (Outcome<String> o : outcomes) {
            System.out.println("gatherSettled: " + (o.isSuccess() ? "ok " + o.value() : "error " + o.error().getMessage()));
          }
        })
        // 5. TaskGroup: when one child fails, the others are cancelled and the group fails.
        .thenCompose(x -> Aio.taskGroup(group -> {
          group.createTask(() -> operation("long", 5).thenAccept(v -> System.out.println("never printed")));
          group.createTask(() -> failing("short", 0.1));
          return Promise.completed(null);
        }))
        .handle((v, error) -> {
          System.out.println("taskGroup: " + (error == null ? "ok" : error.getClass().getSimpleName()
              + " with " + error.getCause().getMessage() + "; the long one was cancelled"));
          return null;
        });
  }

  /**
   * Runs the program.
   *
   * @param args ignored
   */
  public static void main(String... args) {
    Aio.run(Timeouts::asyncMain);
  }
}
