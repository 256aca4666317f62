package dev.aionet.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The reference echo server: plain Netty, one {@link EchoHandler} per pipeline that writes back
 * what it reads and flushes once per read burst, the limit under any echo server built on Netty.
 *
 * <pre>
 * java -cp toolkit-bench/target/benchmarks.jar dev.aionet.bench.RawNettyEchoServer --port 9000 --threads 1
 * </pre>
 *
 * It prints {@code READY port=N} once it listens and serves until the process is stopped.
 */
@Command(name = "RawNettyEchoServer", mixinStandardHelpOptions = true,
    description = "Plain Netty echo server (the baseline of the aionet echo servers).")
public final class RawNettyEchoServer implements ScriptedServer, Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(RawNettyEchoServer.class);

  @Option(names = "--host", description = "Address to bind (default: ${DEFAULT-VALUE}).")
  private String host = "127.0.0.1";

  @Option(names = "--port", description = "Port to bind, 0 for any free one (default: ${DEFAULT-VALUE}).")
  private int port = 8888;

  @Option(names = "--threads", description = "Event loop threads (default: ${DEFAULT-VALUE}).")
  private int threads = 1;

  @Option(names = "--transport", description = "nio, epoll or auto (default: ${DEFAULT-VALUE}).")
  private String transport = "auto";

  private EventLoopGroup group;
  private Channel serverChannel;

  /** For picocli. */
  public RawNettyEchoServer() {}

  /**
   * Starts a server bound to {@code host:port} ({@code port} 0: any free port).
   *
   * @param threads event loop threads
   * @param transport {@code nio}, {@code epoll} or {@code auto}
   * @return the listening server; close it when done
   */
  public static RawNettyEchoServer start(String host, int port, int threads, String transport) {
    RawNettyEchoServer server = new RawNettyEchoServer();
    server.host = host;
    server.port = port;
    server.threads = threads;
    server.transport = transport;
    server.bind();
    return server;
  }

  @Override
  public void bind() {
    NettyTransport t = NettyTransport.parse(transport);
    group = t.newGroup(threads, "raw-echo");
    try {
      serverChannel = new ServerBootstrap()
          .group(group)
          .channel(t.serverChannel())
          .option(ChannelOption.SO_BACKLOG, 16_384)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(EchoHandler.INSTANCE)
          .bind(host, port).syncUninterruptibly().channel();
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
      throw e;
    }
    log.info("raw Netty echo server on {} ({}, {} thread(s))", serverChannel.localAddress(), t, threads);
  }

  /** Returns the port the server listens on. */
  @Override
  public int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /** Stops listening, closes every connection and stops the threads. */
  @Override
  public void close() {
    serverChannel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Override
  public Integer call() throws InterruptedException {
    return serveUntilShutdown("raw-echo");
  }

  public static void main(String... args) {
    System.exit(new CommandLine(new RawNettyEchoServer()).execute(args));
  }

  /** Writes back what it reads; one flush per read burst (Netty's EchoServerHandler). */
  @Sharable
  static final class EchoHandler extends ChannelInboundHandlerAdapter {
    static final EchoHandler INSTANCE = new EchoHandler();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.write(msg, ctx.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // A client that resets its connection is normal in a load test: close quietly.
      log.debug("closing {}: {}", ctx.channel(), cause.toString());
      ctx.close();
    }
  }
}
