package dev.aionet.samples;

import dev.aionet.core.Aio;
import dev.aionet.core.Promise;
import java.util.List;

/**
 * The seed's first program: three greetings run together with {@code gather}; each prints when
 * its own delay ends, so the whole takes about 3 s, not 6.
 *
 * <pre>
 * async def saluta(nome, delay):
 *     await asyncio.sleep(delay)
 *     print(f"Ciao, {nome}!")
 *
 * async def main():
 *     await asyncio.gather(saluta("Andrea", 2), saluta("Barbara", 1), saluta("Cristina", 3))
 *
 * asyncio.run(main())
 * </pre>
 */
public final class Greeting {
  private Greeting() {}

  /** Waits {@code delay} seconds (asynchronously), then greets {@code nome}. */
  static Promise<Void> saluta(String nome, int delay) {
    return Aio.sleep(Scale.seconds(delay)).thenAccept(x -> System.out.println("Ciao, " + nome + "!"));
  }

  static Promise<List<Void>> asyncMain() {
    // gather runs the three "together": Barbara (1 s), then Andrea (2 s), then Cristina (3 s).
    return Aio.gather(saluta("Andrea", 2), saluta("Barbara", 1), saluta("Cristina", 3));
  }

  /**
   * Starts the event loop and runs the program (asyncio.run(main())).
   *
   * @param args ignored
   */
  public static void main(String... args) {
    Aio.run(Greeting::asyncMain);
  }
}
