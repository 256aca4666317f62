package dev.aionet.bench;

import dev.aionet.core.Aio;
import dev.aionet.core.Loop;
import dev.aionet.core.LoopOptions;
import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import dev.aionet.streams.ClientHandler;
import dev.aionet.streams.Server;
import dev.aionet.streams.ServerOptions;
import dev.aionet.streams.StreamReader;
import dev.aionet.streams.StreamWriter;
import dev.aionet.streams.Streams;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The aionet echo servers of the benchmark, written with {@link StreamReader} and
 * {@link StreamWriter} as the seed's asyncio echo: a loop of read, write, drain
 * ({@link Aio#repeatWhile}) until EOF, then close and wait until closed.
 *
 * <ul>
 *   <li>{@code --mode bytes}: {@code reader.read(n)} / {@code writer.write(byte[])}, the seed's
 *       code line for line ({@code --read-size 100} is the tutorial's {@code read(100)});
 *   <li>{@code --mode zerocopy}: {@code reader.readBuf(n)} / {@code writer.write(ByteBuf)}, the
 *       received buffers written back without a copy;
 *   <li>{@code --mode await}: the seed's code as {@code --mode bytes}, in sequential style
 *       ({@code Aio.async} / {@code Aio.await}, the sample's {@code EchoServer.echoAwait}).
 * </ul>
 *
 * <pre>
 * java -cp toolkit-bench/target/benchmarks.jar dev.aionet.bench.AionetEchoServer --mode zerocopy --port 9000 --threads 1
 * </pre>
 *
 * <p>It prints {@code READY port=N} once it listens and serves until the process is stopped.
 * Accepted sockets get {@code TCP_NODELAY} from {@link Streams#startServer}'s defaults, as asyncio
 * sets on every TCP transport and as the raw Netty server does.
 */
@Command(name = "AionetEchoServer", mixinStandardHelpOptions = true,
    description = "The seed's echo server on aionet streams: read, write, drain until EOF.")
public final class AionetEchoServer implements ScriptedServer, Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(AionetEchoServer.class);

  /** How the handler reads and writes. */
  public enum Mode {
    /** {@code read(n)} and {@code write(byte[])}: a copy in, a copy out. */
    BYTES,
    /** {@code readBuf(n)} and {@code write(ByteBuf)}: no copy. */
    ZEROCOPY,
    /** As {@link #BYTES}, in sequential style: {@code Aio.async} and {@code Aio.await}. */
    AWAIT
  }

  @Option(names = "--host", description = "Address to bind (default: ${DEFAULT-VALUE}).")
  private String host = "127.0.0.1";

  @Option(names = "--port", description = "Port to bind, 0 for any free one (default: ${DEFAULT-VALUE}).")
  private int port = 8888;

  @Option(names = "--threads", description = "Loop threads (default: ${DEFAULT-VALUE}).")
  private int threads = 1;

  @Option(names = "--transport", description = "nio, epoll or auto (default: ${DEFAULT-VALUE}).")
  private String transport = "auto";

  @Option(names = "--mode", description = "bytes (read/write byte[]), zerocopy (readBuf/write ByteBuf) or await"
      + " (bytes with Aio.async/Aio.await) (default: bytes).")
  private String mode = "bytes";

  @Option(names = "--read-size", description = "The n of read(n) / readBuf(n); the seed used 100 (default: ${DEFAULT-VALUE}).")
  private int readSize = 65_536;

  private Loop loop;
  private Server server;

  /** For picocli. */
  public AionetEchoServer() {}

  /**
   * Starts a server bound to {@code host:port} ({@code port} 0: any free port).
   *
   * @param host the address to bind
   * @param port the port, 0 for any free one
   * @param threads loop threads
   * @param transport {@code nio}, {@code epoll} or {@code auto}
   * @param mode how the handler reads and writes
   * @param readSize the n of each read, positive
   * @return the listening server; close it when done
   */
  public static AionetEchoServer start(String host, int port, int threads, String transport, Mode mode, int readSize) {
    AionetEchoServer s = new AionetEchoServer();
    s.host = host;
    s.port = port;
    s.threads = threads;
    s.transport = transport;
    s.mode = mode.name();
    s.readSize = readSize;
    s.bind();
    return s;
  }

  /**
   * The seed's echo, the sample's own code: read up to {@code readSize} bytes, write them, drain,
   * until EOF; then close and wait until closed.
   *
   * @param reader the connection's reader
   * @param writer the connection's writer
   * @param readSize the n of {@code reader.read(n)}
   * @return completes when the connection is closed
   */
  public static Promise<Void> echoBytes(StreamReader reader, StreamWriter writer, int readSize) {
    return dev.aionet.samples.EchoServer.echo(reader, writer, readSize);
  }

  /**
   * The same loop without copies: {@code readBuf(n)} hands over the received buffer and
   * {@code write(ByteBuf)} takes ownership of it.
   *
   * @param reader the connection's reader
   * @param writer the connection's writer
   * @param readSize the n of {@code reader.readBuf(n)}
   * @return completes when the connection is closed
   */
  public static Promise<Void> echoZeroCopy(StreamReader reader, StreamWriter writer, int readSize) {
    return Aio.repeatWhile(() -> reader.readBuf(readSize).thenCompose(data -> {
      if (!data.isReadable()) {
        data.release(); // EOF: an empty buffer, ours to release
        return Promise.completed(false);
      }
      writer.write(data);
      return writer.drain().thenApply(x -> true);
    })).thenCompose(x -> {
      writer.close();
      return writer.waitClosed();
    });
  }

  @Override
  public void bind() {
    if (readSize < 1) {
      throw new IllegalArgumentException("--read-size must be at least 1: " + readSize);
    }
    Mode m = Mode.valueOf(mode.toUpperCase(Locale.ROOT));
    ClientHandler handler = switch (m) {
      case BYTES -> (reader, writer) -> echoBytes(reader, writer, readSize);
      case AWAIT -> (reader, writer) -> dev.aionet.samples.EchoServer.echoAwait(reader, writer, readSize);
      case ZEROCOPY -> (reader, writer) -> echoZeroCopy(reader, writer, readSize);
    };
    Transport t = Transport.valueOf(NettyTransport.parse(transport).name());
    loop = Loop.create(LoopOptions.builder().threads(threads).transport(t).build());
    ServerOptions options = ServerOptions.builder().backlog(16_384).build();
    try {
      server = loop.runUntilComplete(() -> Streams.startServer(handler, host, port, options));
    } catch (RuntimeException e) {
      loop.close();
      throw e;
    }
    log.info("aionet echo server ({}, read size {}) on {} ({}, {} thread(s))", m, readSize, server.sockets(), t, threads);
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
    return serveUntilShutdown("aionet-echo");
  }

  public static void main(String... args) {
    System.exit(new CommandLine(new AionetEchoServer()).execute(args));
  }
}
