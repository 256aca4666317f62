package dev.aionet.samples;

import dev.aionet.core.Aio;
import dev.aionet.core.AsyncTimeoutException;
import dev.aionet.core.Loop;
import dev.aionet.core.LoopOptions;
import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import dev.aionet.streams.Datagram;
import dev.aionet.streams.DatagramEndpoint;
import dev.aionet.streams.Datagrams;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A UDP echo, server and client: asyncio's {@code create_datagram_endpoint} echo example with
 * {@code receive()} in place of the protocol's callback.
 *
 * <pre>
 * class Echo(asyncio.DatagramProtocol):
 *     def connection_made(self, transport):
 *         self.transport = transport
 *     def datagram_received(self, data, addr):
 *         self.transport.sendto(data, addr)
 * </pre>
 */
@Command(name = "udp-echo", mixinStandardHelpOptions = true, version = "aionet udp-echo 0.2.0",
    description = "A UDP echo server (the default), or with --client a client that sends datagrams and prints each echo.")
public final class UdpEcho implements Callable<Integer> {

  @Option(names = "--host", description = "server address to bind, or to send to with --client (default: ${DEFAULT-VALUE})")
  String host = "127.0.0.1";

  @Option(names = "--port", description = "server port, 0 for any free one (default: ${DEFAULT-VALUE})")
  int port = 9999;

  @Option(names = "--transport", description = "auto, nio or epoll (default: ${DEFAULT-VALUE})")
  String transport = "auto";

  @Option(names = "--client", description = "send datagrams to the server instead of serving")
  boolean client;

  @Option(names = "--message", description = "with --client: the datagram to send (default: ${DEFAULT-VALUE})")
  String message = "Ciao";

  @Option(names = "--count", description = "with --client: how many times to send it (default: ${DEFAULT-VALUE})")
  int count = 1;

  @Option(names = "--timeout", description = "with --client: seconds to wait for each echo (default: ${DEFAULT-VALUE})")
  double timeoutSeconds = 2;

  /**
   * Echoes every datagram back to its sender until the endpoint is closed.
   *
   * @param endpoint a bound endpoint
   * @return completes when the endpoint is closed
   */
  public static Promise<Void> serve(DatagramEndpoint endpoint) {
    return Aio.repeatWhile(() -> endpoint.receive().thenApply(datagram -> {
      if (datagram == null) {
        return false; // closed
      }
      endpoint.send(datagram.data(), datagram.sender());
      return true;
    }));
  }

  /**
   * Sends {@code message} and waits up to {@code timeout} for its echo.
   *
   * @param endpoint an endpoint connected to the server
   * @param message the datagram
   * @param timeout how long to wait
   * @return the echo; fails with {@link AsyncTimeoutException} if none came in time (UDP may lose it)
   */
  public static Promise<String> echoOnce(DatagramEndpoint endpoint, String message, Duration timeout) {
    endpoint.send(message.getBytes(StandardCharsets.UTF_8));
    return Aio.waitFor(endpoint.receive(), timeout)
        .thenApply((Datagram d) -> new String(d.data(), StandardCharsets.UTF_8));
  }

  @Override
  public Integer call() {
    Transport chosen;
    try {
      chosen = Transport.valueOf(transport.trim().toUpperCase());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--transport must be auto, nio or epoll: " + transport);
    }
    try (Loop loop = Loop.create(LoopOptions.builder().threads(1).transport(chosen).build())) {
      return client ? runClient(loop) : runServer(loop);
    }
  }

  private int runServer(Loop loop) {
    // Bind the endpoint.
    DatagramEndpoint endpoint = loop.runUntilComplete(() -> Datagrams.bind(host, port));
    System.out.println("udp-echo listening on " + endpoint.localAddress() + " (" + loop.transport().name().toLowerCase() + ")");
    // Close it on SIGINT/SIGTERM: the echo loop then ends and main returns.
    Runtime.getRuntime().addShutdownHook(new Thread(endpoint::close, "udp-echo-shutdown"));
    // Echo until closed.
    loop.runUntilComplete(() -> serve(endpoint));
    return 0;
  }

  private int runClient(Loop loop) {
    Duration timeout = Duration.ofMillis((long) (timeoutSeconds * 1000));
    // Connect, so only the server's datagrams arrive and a closed port is reported.
    DatagramEndpoint endpoint = loop.runUntilComplete(() -> Datagrams.connect(host, port));
    try {
      for (int i = 0; i < count; i++) {
        // Send, wait for the echo, print it.
        System.out.println(loop.runUntilComplete(() -> echoOnce(endpoint, message, timeout)));
      }
      return 0;
    } catch (AsyncTimeoutException e) {
      System.err.println("udp-echo: no echo within " + timeoutSeconds + " s (is the server up?)");
      return 1;
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      System.err.println("udp-echo: " + cause); // e.g. PortUnreachableException: nothing listens there
      return 1;
    } finally {
      endpoint.close();
    }
  }

  /**
   * Runs the server, or the client with {@code --client}.
   *
   * @param args see {@code --help}
   */
  public static void main(String... args) {
    CommandLine cli = new CommandLine(new UdpEcho());
    cli.setParameterExceptionHandler((e, badArgs) -> {
      cli.getErr().println("udp-echo: " + e.getMessage() + " (see --help)");
      return 2;
    });
    int status = cli.execute(args);
    if (status != 0) {
      System.exit(status);
    }
  }
}
