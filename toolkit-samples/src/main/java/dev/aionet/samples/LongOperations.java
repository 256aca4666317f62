package dev.aionet.samples;

import dev.aionet.core.Aio;
import dev.aionet.core.Promise;
import dev.aionet.core.Task;

/**
 * The seed's {@code operazioneLunga}: two tasks made with {@code createTask} run concurrently,
 * then are awaited in turn.
 *
 * <pre>
 * async def operazioneLunga(n):
 *     print(f"Inizio operazione {n}")
 *     await asyncio.sleep(n)
 *     print(f"Fine operazione {n}")
 *
 * async def main():
 *     task1 = asyncio.create_task(operazioneLunga(2))
 *     task2 = asyncio.create_task(operazioneLunga(4))
 *     await task1
 *     await task2
 * </pre>
 */
public final class LongOperations {
  private LongOperations() {}

  static Promise<Void> operazioneLunga(int n) {
    System.out.println("Inizio operazione " + n);
    return Aio.sleep(Scale.seconds(n)).thenAccept(x -> System.out.println("Fine operazione " + n));
  }

  static Promise<Void> asyncMain() {
    // create_task schedules both at once: they start on the next turn and sleep side by side.
    Task<Void> task1 = Aio.createTask(() -> operazioneLunga(2));
    Task<Void> task2 = Aio.createTask(() -> operazioneLunga(4));
    // Await them in turn: the whole program takes about 4 s, not 6.
    return task1.thenCompose(x -> task2);
  }

  /**
   * Runs the program.
   *
   * @param args ignored
   */
  public static void main(String... args) {
    Aio.run(LongOperations::asyncMain);
  }
}
