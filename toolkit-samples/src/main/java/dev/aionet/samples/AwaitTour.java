package dev.aionet.samples;

import dev.aionet.core.Aio;
import dev.aionet.core.AsyncTimeoutException;
import dev.aionet.core.Promise;
import dev.aionet.core.Task;
import dev.aionet.streams.Connection;
import dev.aionet.streams.Server;
import dev.aionet.streams.Streams;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The seed's programs in sequential style: {@code Aio.async} is {@code async def},
 * {@code Aio.await} is {@code await}. Greetings with gather, two long operations, timeouts and
 * error handling, then the echo server and a client, each as the asyncio tutorial writes it
 * (Java 21+ runs the bodies on virtual threads; Java 17 on platform threads).
 */
public final class AwaitTour {
  private AwaitTour() {}

  // async def saluta(nome, delay): await asyncio.sleep(delay); print(f"Ciao, {nome}!")
  static Task<Void> saluta(String nome, int delay) {
    return Aio.async(() -> {
      Aio.await(Aio.sleep(Scale.seconds(delay)));
      System.out.println("Ciao, " + nome + "!");
      return null;
    });
  }

  // async def operazioneLunga(n): print("Inizio"); await asyncio.sleep(n); print("Fine")
  static Task<Void> operazioneLunga(int n) {
    return Aio.async(() -> {
      System.out.println("Inizio operazione " + n);
      Aio.await(Aio.sleep(Scale.seconds(n)));
      System.out.println("Fine operazione " + n);
      return null;
    });
  }

  /** An operation that takes {@code seconds}, then returns its name. */
  static Promise<String> operation(String name, double seconds) {
    return Aio.sleep(Scale.seconds(seconds), name);
  }

  static Task<Void> asyncMain() {
    return Aio.async(() -> {
      // 1. await asyncio.gather(saluta("Andrea", 2), saluta("Barbara", 1), saluta("Cristina", 3))
      Aio.await(Aio.gather(saluta("Andrea", 2), saluta("Barbara", 1), saluta("Cristina", 3)));

      // 2. task1 = create_task(operazioneLunga(2)); task2 = ...(4); await task1; await task2
      Task<Void> task1 = operazioneLunga(2);
      Task<Void> task2 = operazioneLunga(4);
      Aio.await(task1);
      Aio.await(task2); // about 4 s in all, not 6: they slept side by side

      // 3. try: await asyncio.wait_for(operation("lenta", 3), 1) except TimeoutError: ...
      try {
        Aio.await(Aio.waitFor(operation("lenta", 3), Scale.seconds(1)));
      } catch (AsyncTimeoutException e) {
        System.out.println("waitFor: troppo lenta, annullata dopo 1 s");
      }

      // 4. try: ... except OSError as e: print(f"errore gestito: {e}")
      try {
        Aio.await(Aio.sleep(Scale.seconds(0.1)).thenApply(x -> {
          throw new IOException("connessione failed");
        }));
      } catch (java.util.concurrent.CompletionException e) {
        System.out.println("errore gestito: " + e.getCause().getMessage());
      }

      // 5. server = await asyncio.start_server(echo, "127.0.0.1", 0), then a client talks to it
      //    (the handler is EchoServer.echoAwait: the seed's echo with Aio.await, line for line)
      Server server = Aio.await(Streams.startServer((r, w) -> EchoServer.echoAwait(r, w, 100), "127.0.0.1", 0));
      Connection c = Aio.await(Streams.openConnection("127.0.0.1", server.port()));
      for (String message : List.of("Ciao", "mondo")) {
        c.writer().write((message + "\n").getBytes(StandardCharsets.UTF_8));
        Aio.await(c.writer().drain());
        byte[] line = Aio.await(c.reader().readLine());
        System.out.println("eco: " + new String(line, StandardCharsets.UTF_8).trim());
      }
      c.writer().close();
      Aio.await(c.writer().waitClosed());
      server.close();
      return Aio.await(server.waitClosed());
    }, "await-tour");
  }

  /**
   * Runs the tour (asyncio.run(main())).
   *
   * @param args ignored
   */
  public static void main(String... args) {
    Aio.run(AwaitTour::asyncMain);
  }
}
