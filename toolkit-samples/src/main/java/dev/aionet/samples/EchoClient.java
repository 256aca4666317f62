package dev.aionet.samples;

import dev.aionet.core.Aio;
import dev.aionet.core.Loop;
import dev.aionet.core.Promise;
import dev.aionet.streams.Connection;
import dev.aionet.streams.Streams;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A client for the echo server: sends lines (from stdin, or {@code --message}), prints each echo;
 * {@code --count} and {@code --concurrency} turn it into a quick smoke load that checks every byte.
 */
@Command(name = "echo-client", mixinStandardHelpOptions = true,
    description = "Sends lines to an echo server and prints what comes back.")
public final class EchoClient implements Callable<Integer> {

  @Option(names = "--host", description = "server address (default: ${DEFAULT-VALUE})")
  String host = "127.0.0.1";

  @Option(names = "--port", description = "server port (default: ${DEFAULT-VALUE})")
  int port = 8888;

  @Option(names = "--message", description = "send this line instead of reading stdin")
  String message;

  @Option(names = "--count", description = "echoes per connection (default: ${DEFAULT-VALUE})")
  int count = 1;

  @Option(names = "--concurrency", description = "connections at once (default: ${DEFAULT-VALUE})")
  int concurrency = 1;

  /** Sends {@code line} and its newline, reads the same number of bytes back. */
  static Promise<String> echoOnce(Connection c, String line) {
    byte[] sent = (line + "\n").getBytes(StandardCharsets.UTF_8);
    c.writer().write(sent);
    return c.writer().drain().thenCompose(x -> c.reader().readExactly(sent.length)).thenApply(back -> {
      if (!Arrays.equals(back, sent)) {
        throw new IllegalStateException("echo differs from what was sent");
      }
      return new String(back, StandardCharsets.UTF_8).stripTrailing();
    });
  }

  /** One connection that echoes {@code line} {@code times} times in a row. */
  Promise<Integer> connection(String line, int times) {
    return connect().thenCompose(c -> {
      int[] done = {0};
      return Aio.repeatWhile(() -> echoOnce(c, line).thenApply(echo -> ++done[0] < times))
          .whenComplete((v, e) -> c.writer().close())
          .thenApply(x -> done[0]);
    });
  }

  /** Connects; a failure says where to (the one line the program prints for it). */
  private Promise<Connection> connect() {
    return Streams.openConnection(host, port).exceptionallyCompose(e -> Promise.failed(
        new IOException("cannot connect to " + host + ":" + port + ": " + Cli.describe(e), e)));
  }

  @Override
  public Integer call() throws Exception {
    Cli.requirePort(port, false, this);
    Cli.require(count >= 1, this, "--count", "at least 1", count);
    Cli.require(concurrency >= 1, this, "--concurrency", "at least 1", concurrency);
    if (message != null) {
      long start = System.nanoTime();
      int total = Aio.run(() -> {
        List<Promise<Integer>> all = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
          all.add(connection(message, count));
        }
        return Aio.gather(all).thenApply(counts -> counts.stream().mapToInt(Integer::intValue).sum());
      });
      if (count == 1 && concurrency == 1) {
        System.out.println(message);
      } else {
        System.out.printf("%d echoes of %d bytes over %d connections in %d ms, every byte checked%n",
            total, message.length() + 1, concurrency, (System.nanoTime() - start) / 1_000_000);
      }
      return 0;
    }
    // Interactive: one connection, one echo per line typed.
    try (Loop loop = Loop.create()) {
      Connection c = loop.runUntilComplete(this::connect);
      BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = stdin.readLine(); line != null; line = stdin.readLine()) {
        String l = line;
        System.out.println(loop.runUntilComplete(() -> echoOnce(c, l)));
      }
      c.writer().close();
    }
    return 0;
  }

  /**
   * Runs the client.
   *
   * @param args see {@code --help}
   */
  public static void main(String... args) {
    int status = Cli.run("echo-client", new EchoClient(), args);
    if (status != 0) {
      System.exit(status);
    }
  }
}
