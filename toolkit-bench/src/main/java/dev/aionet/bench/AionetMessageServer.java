package dev.aionet.bench;

import dev.aionet.core.Aio;
import dev.aionet.core.Loop;
import dev.aionet.core.LoopOptions;
import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import dev.aionet.samples.HttpHello;
import dev.aionet.streams.Codec;
import dev.aionet.streams.MessageReader;
import dev.aionet.streams.MessageWriter;
import dev.aionet.streams.Messages;
import dev.aionet.streams.Server;
import dev.aionet.streams.ServerOptions;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The aionet message servers of the benchmark, beside {@link RawNettyMessageServer}:
 *
 * <ul>
 *   <li>{@code --protocol http}: the {@code HttpHello} sample's own handler and codec (Netty's
 *       {@code HttpServerCodec} + {@code HttpObjectAggregator} behind {@link Messages});
 *   <li>{@code --protocol lines}: a line echo on {@link Codec#lines}: read a line, write it back,
 *       drain, until EOF.
 * </ul>
 *
 * <pre>
 * java -cp toolkit-bench/target/benchmarks.jar dev.aionet.bench.AionetMessageServer --protocol http --port 9000
 * </pre>
 *
 * <p>It prints {@code READY port=N} once it listens and serves until the process is stopped.
 */
@Command(name = "AionetMessageServer", mixinStandardHelpOptions = true,
    description = "HTTP hello world or line echo on aionet's message streams.")
public final class AionetMessageServer implements ScriptedServer, Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(AionetMessageServer.class);

  @Option(names = "--host", description = "Address to bind (default: ${DEFAULT-VALUE}).")
  private String host = "127.0.0.1";

  @Option(names = "--port", description = "Port to bind, 0 for any free one (default: ${DEFAULT-VALUE}).")
  private int port = 8080;

  @Option(names = "--threads", description = "Loop threads (default: ${DEFAULT-VALUE}).")
  private int threads = 1;

  @Option(names = "--transport", description = "nio, epoll or auto (default: ${DEFAULT-VALUE}).")
  private String transport = "auto";

  @Option(names = "--protocol", description = "http or lines (default: ${DEFAULT-VALUE}).")
  private String protocol = "http";

  private Loop loop;
  private Server server;

  /** For picocli. */
  public AionetMessageServer() {}

  /**
   * Starts a server bound to {@code host:port} ({@code port} 0: any free port).
   *
   * @param protocol {@code http} or {@code lines}
   * @param threads loop threads
   * @param transport {@code nio}, {@code epoll} or {@code auto}
   * @return the listening server; close it when done
   */
  public static AionetMessageServer start(String protocol, String host, int port, int threads, String transport) {
    AionetMessageServer s = new AionetMessageServer();
    s.protocol = protocol;
    s.host = host;
    s.port = port;
    s.threads = threads;
    s.transport = transport;
    s.bind();
    return s;
  }

  /**
   * Writes each line back, draining after each, until EOF.
   *
   * @param reader the connection's lines
   * @param writer where they go back
   * @return completes at EOF
   */
  public static Promise<Void> echoLines(MessageReader<String> reader, MessageWriter<String> writer) {
    return Aio.repeatWhile(() -> reader.read().thenCompose(line -> line == null
        ? Promise.completed(false)
        : writer.writeAndDrain(line).thenApply(x -> true)));
  }

  @Override
  public void bind() {
    MessageProtocol p = MessageProtocol.parse(protocol);
    Transport t = Transport.valueOf(NettyTransport.parse(transport).name());
    loop = Loop.create(LoopOptions.builder().threads(threads).transport(t).build());
    ServerOptions options = ServerOptions.builder().backlog(16_384).build();
    try {
      server = loop.runUntilComplete(() -> p == MessageProtocol.HTTP
          ? Messages.startServer(HttpHello::serve, HttpHello.HTTP, host, port, options)
          : Messages.startServer(AionetMessageServer::echoLines, Codec.lines(RawNettyMessageServer.MAX_LINE), host,
              port, options));
    } catch (RuntimeException e) {
      loop.close();
      throw e;
    }
    log.info("aionet {} server on {} ({}, {} thread(s))", p, server.sockets(), t, threads);
  }

  /** Returns the port the server listens on. */
  @Override
  public int port() {
    return server.port();
  }

  /** Stops listening, closes every connection and stops the loop. */
  @Override
  public void close() {
    server.close();
    server.closeClients();
    loop.close();
  }

  @Override
  public Integer call() throws InterruptedException {
    return serveUntilShutdown("aionet-" + protocol);
  }

  public static void main(String... args) {
    System.exit(new CommandLine(new AionetMessageServer()).execute(args));
  }
}
