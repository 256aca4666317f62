package dev.aionet.samples;

import dev.aionet.core.Aio;
import dev.aionet.core.CancelledException;
import dev.aionet.core.Loop;
import dev.aionet.core.LoopOptions;
import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import dev.aionet.streams.ConnectionResetException;
import dev.aionet.streams.Server;
import dev.aionet.streams.ServerOptions;
import dev.aionet.streams.StreamReader;
import dev.aionet.streams.StreamWriter;
import dev.aionet.streams.Streams;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The seed's echo server: every connection's handler reads, writes back and drains until EOF,
 * then closes, exactly as the asyncio program does, in either of aionet's two styles
 * ({@code --style await}: sequential code with {@code Aio.await}; {@code --style callbacks}: a
 * chain of derivations). The runnable jar {@code toolkit-samples/target/echo-server.jar} starts it.
 *
 * <pre>
 * async def echo(reader, writer):
 *     while True:
 *         data = await reader.read(100)
 *         if not data:
 *             break
 *         writer.write(data)
 *         await writer.drain()
 *     writer.close()
 *     await writer.wait_closed()
 * </pre>
 */
@Command(name = "echo-server", mixinStandardHelpOptions = true, version = "aionet echo-server 0.1.0",
    description = "The asyncio tutorial's echo server on aionet: writes back every byte it reads.")
public final class EchoServer implements Callable<Integer> {

  @Option(names = "--host", description = "address to listen on (default: ${DEFAULT-VALUE})")
  String host = "127.0.0.1";

  @Option(names = "--port", description = "port to listen on, 0 for any free port (default: ${DEFAULT-VALUE})")
  int port = 8888;

  @Option(names = "--threads", description = "loop threads (default: the number of cores)")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--transport", description = "auto, nio, epoll or io_uring (default: ${DEFAULT-VALUE})")
  String transport = "auto";

  @Option(names = "--read-size", description = "the n of reader.read(n); the tutorial used 100 (default: ${DEFAULT-VALUE})")
  int readSize = 65536;

  @Option(names = "--debug", description = "asyncio's debug mode: report slow callbacks and lost failures")
  boolean debug;

  @Option(names = "--tls", description = "serve TLS with a self-made certificate (its SHA-256 fingerprint is printed)")
  boolean tls;

  @Option(names = "--max-connections", description = "close connections beyond this many at once (default: no limit)")
  int maxConnections;

  @Option(names = "--idle-timeout", description = "seconds without a byte either way before a connection is closed (default: none)")
  double idleTimeoutSeconds;

  @Option(names = "--proxy-protocol", description = "expect a PROXY protocol header (v1 or v2) from a load balancer"
      + " before each connection's bytes; the echo then knows the real client")
  boolean proxyProtocol;

  @Option(names = "--stats", paramLabel = "SECONDS",
      description = "print a one-line summary of the loop's and the server's stats every SECONDS (default: never)")
  double statsSeconds;

  @Option(names = "--style", description = "await (sequential code, Aio.async/Aio.await) or callbacks (derivations);"
      + " default: await on Java 21+, where bodies run on virtual threads, else callbacks")
  String style = Runtime.version().feature() >= 21 ? "await" : "callbacks";

  @Option(names = "--grace", description = "seconds to keep serving open connections on SIGINT/SIGTERM (default: ${DEFAULT-VALUE})")
  double graceSeconds = 5;

  /**
   * The seed's handler in sequential style, line for line: read, write, drain until EOF; then
   * close and wait.
   *
   * @param reader the connection's reader
   * @param writer the connection's writer
   * @param readSize the n of {@code reader.read(n)}
   * @return completes when the connection is closed
   */
  public static Promise<Void> echoAwait(StreamReader reader, StreamWriter writer, int readSize) {
    return Aio.async(() -> {
      while (true) {
        byte[] data = Aio.await(reader.read(readSize));
        if (data.length == 0) {
          break;
        }
        writer.write(data);
        Aio.await(writer.drain());
      }
      writer.close();
      return Aio.await(writer.waitClosed());
    });
  }

  /**
   * The seed's handler as a chain of derivations: read, write, drain until EOF; then close and
   * wait.
   *
   * @param reader the connection's reader
   * @param writer the connection's writer
   * @param readSize the n of {@code reader.read(n)}
   * @return completes when the connection is closed
   */
  public static Promise<Void> echo(StreamReader reader, StreamWriter writer, int readSize) {
    return Aio.repeatWhile(() -> reader.read(readSize).thenCompose(data -> {
      if (data.length == 0) {
        return Promise.completed(false); // EOF: leave the loop
      }
      writer.write(data);
      return writer.drain().thenApply(x -> true);
    })).thenCompose(x -> {
      writer.close();
      return writer.waitClosed();
    });
  }

  /**
   * A peer that resets its connection is normal on the internet, not an error of the server: the
   * handler ends quietly instead of logging a stack trace per reset (asyncio would log each one).
   * Any other failure still reaches the loop's exception handler.
   */
  private static Promise<Void> quietOnReset(Throwable error) {
    return error instanceof ConnectionResetException ? Promise.completed(null) : Promise.failed(error);
  }

  /** Refuses a bad argument with one line naming its flag (exit status 2). */
  private void checkArguments() {
    Cli.requirePort(port, true, this);
    Cli.require(threads >= 1, this, "--threads", "at least 1", threads);
    Cli.require(readSize >= 1, this, "--read-size", "at least 1", readSize);
    Cli.require(graceSeconds >= 0, this, "--grace", "0 or more seconds", graceSeconds);
    Cli.require(maxConnections >= 0, this, "--max-connections", "0 (no limit) or more", maxConnections);
    Cli.require(idleTimeoutSeconds >= 0, this, "--idle-timeout", "0 (none) or more seconds", idleTimeoutSeconds);
  }

  @Override
  public Integer call() {
    checkArguments();
    String chosen = style.trim().toLowerCase(java.util.Locale.ROOT);
    Cli.require(chosen.equals("await") || chosen.equals("callbacks"), this, "--style", "await or callbacks", style);
    boolean await = chosen.equals("await");
    LoopOptions loopOptions = LoopOptions.builder().threads(threads).transport(parseTransport()).debug(debug).build();
    ServerOptions.Builder serverOptions = ServerOptions.builder();
    if (maxConnections > 0) {
      serverOptions.maxConnections(maxConnections);
    }
    if (idleTimeoutSeconds > 0) {
      serverOptions.idleTimeout(Duration.ofMillis((long) (idleTimeoutSeconds * 1000)));
    }
    if (tls) {
      serverOptions.ssl(SelfMadeCertificate.serverContext());
    }
    serverOptions.proxyProtocol(proxyProtocol);
    // Start the loop and the server.
    Loop loop = Loop.create(loopOptions);
    Server server;
    try {
      server = loop.runUntilComplete(() -> Streams.startServer(
          (reader, writer) -> (await ? echoAwait(reader, writer, readSize) : echo(reader, writer, readSize))
              .exceptionallyCompose(EchoServer::quietOnReset),
          host, port, serverOptions.build()));
    } catch (CancelledException interrupted) {
      loop.close();
      throw interrupted;
    } catch (RuntimeException e) {
      loop.close();
      System.err.println("echo-server: cannot listen on " + host + ":" + port + ": " + Cli.describe(e));
      return 1;
    }
    System.out.println("echo-server listening on " + server.sockets().get(0) + " (" + loop.transport().name().toLowerCase()
        + ", " + threads + " thread" + (threads == 1 ? "" : "s") + (tls ? ", TLS" : "")
        + (proxyProtocol ? ", PROXY protocol" : "") + ", " + (await ? "await" : "callbacks") + " style)");
    if (tls) {
      System.out.println("TLS certificate SHA-256 fingerprint: " + SelfMadeCertificate.fingerprint());
    }
    if (statsSeconds > 0) {
      printStats(loop, server);
    }

    // Serve until interrupted: SIGINT/SIGTERM cancel serveForever, which stops accepting.
    try {
      loop.runUntilComplete(server::serveForever);
    } catch (CancelledException interrupted) {
      // Keep serving the open connections for the grace period, then close what is left, and
      // exit with status 0: a graceful shutdown is this program's normal end.
      Duration grace = Duration.ofMillis((long) (graceSeconds * 1000));
      loop.runUntilComplete(() -> server.shutdown(grace));
    } finally {
      loop.close();
    }
    return 0;
  }

  /** Prints a {@link StatsLine} every {@code --stats} seconds, from a thread of its own (printing may block). */
  private void printStats(Loop loop, Server server) {
    StatsLine line = new StatsLine(statsSeconds);
    java.util.concurrent.ScheduledExecutorService printer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "echo-server-stats");
      t.setDaemon(true);
      return t;
    });
    long nanos = (long) (statsSeconds * 1e9);
    loop.stats(); // the first line's maxima start now
    printer.scheduleAtFixedRate(() -> System.out.println(line.next(loop.stats(), server.stats())),
        nanos, nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  private Transport parseTransport() {
    try {
      return Transport.valueOf(transport.trim().toUpperCase().replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "Invalid value for option '--transport': " + transport + " (must be auto, nio, epoll or io_uring)");
    }
  }

  /**
   * Starts the server.
   *
   * @param args see {@code --help}
   */
  public static void main(String... args) {
    int status = Cli.run("echo-server", new EchoServer(), args);
    if (status != 0) {
      System.exit(status);
    }
  }
}
