package dev.aionet.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.string.LineEncoder;
import io.netty.handler.codec.string.LineSeparator;
import io.netty.handler.codec.string.StringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The raw Netty baselines of the message benchmarks, in the style of Netty's own examples
 * ({@code HttpHelloWorldServer}, {@code TelnetServer}): a codec, then a
 * {@link SimpleChannelInboundHandler} that writes each answer and flushes once per read burst.
 *
 * <ul>
 *   <li>{@code --protocol http}: {@code HttpServerCodec} + {@code HttpObjectAggregator}, each
 *       {@code FullHttpRequest} answered with {@code 200 "Hello, World!\n"}, keep-alive honoured
 *       (the baseline of {@code HttpHello}, the sample on aionet's messages);
 *   <li>{@code --protocol lines}: {@code LineBasedFrameDecoder} + {@code StringDecoder} +
 *       {@code LineEncoder}, each line written back (the baseline of a {@code Codec.lines} echo).
 * </ul>
 *
 * <pre>
 * java -cp toolkit-bench/target/benchmarks.jar dev.aionet.bench.RawNettyMessageServer --protocol http --port 9000
 * </pre>
 *
 * It prints {@code READY port=N} once it listens and serves until the process is stopped.
 */
@Command(name = "RawNettyMessageServer", mixinStandardHelpOptions = true,
    description = "Plain Netty HTTP hello world or line echo (the baselines of the aionet message servers).")
public final class RawNettyMessageServer implements ScriptedServer, Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(RawNettyMessageServer.class);

  /** The longest line accepted, in bytes, the same for both line servers. */
  static final int MAX_LINE = 8192;

  /** The longest HTTP request body aggregated, as in the {@code HttpHello} sample. */
  static final int MAX_CONTENT = 1 << 20;

  @Option(names = "--host", description = "Address to bind (default: ${DEFAULT-VALUE}).")
  private String host = "127.0.0.1";

  @Option(names = "--port", description = "Port to bind, 0 for any free one (default: ${DEFAULT-VALUE}).")
  private int port = 8080;

  @Option(names = "--threads", description = "Event loop threads (default: ${DEFAULT-VALUE}).")
  private int threads = 1;

  @Option(names = "--transport", description = "nio, epoll or auto (default: ${DEFAULT-VALUE}).")
  private String transport = "auto";

  @Option(names = "--protocol", description = "http or lines (default: ${DEFAULT-VALUE}).")
  private String protocol = "http";

  private EventLoopGroup group;
  private Channel serverChannel;

  /** For picocli. */
  public RawNettyMessageServer() {}

  /**
   * Starts a server bound to {@code host:port} ({@code port} 0: any free port).
   *
   * @param protocol {@code http} or {@code lines}
   * @param threads event loop threads
   * @param transport {@code nio}, {@code epoll} or {@code auto}
   * @return the listening server; close it when done
   */
  public static RawNettyMessageServer start(String protocol, String host, int port, int threads, String transport) {
    RawNettyMessageServer server = new RawNettyMessageServer();
    server.protocol = protocol;
    server.host = host;
    server.port = port;
    server.threads = threads;
    server.transport = transport;
    server.bind();
    return server;
  }

  @Override
  public void bind() {
    boolean http = MessageProtocol.parse(protocol) == MessageProtocol.HTTP;
    NettyTransport t = NettyTransport.parse(transport);
    group = t.newGroup(threads, "raw-" + protocol.toLowerCase(Locale.ROOT));
    try {
      serverChannel = new ServerBootstrap()
          .group(group)
          .channel(t.serverChannel())
          .option(ChannelOption.SO_BACKLOG, 16_384)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ChannelPipeline p = ch.pipeline();
              if (http) {
                p.addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_CONTENT), HelloHandler.INSTANCE);
              } else {
                p.addLast(new LineBasedFrameDecoder(MAX_LINE, true, true), new StringDecoder(StandardCharsets.UTF_8),
                    new LineEncoder(LineSeparator.UNIX, StandardCharsets.UTF_8), LineEchoHandler.INSTANCE);
              }
            }
          })
          .bind(host, port).syncUninterruptibly().channel();
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw e;
    }
    log.info("raw Netty {} server on {} ({}, {} thread(s))", protocol, serverChannel.localAddress(), t, threads);
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
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Override
  public Integer call() throws InterruptedException {
    return serveUntilShutdown("raw-" + protocol);
  }

  public static void main(String... args) {
    System.exit(new CommandLine(new RawNettyMessageServer()).execute(args));
  }

  /** Netty's {@code HttpHelloWorldServerHandler}, on aggregated requests. */
  @Sharable
  static final class HelloHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final HelloHandler INSTANCE = new HelloHandler();
    private static final byte[] CONTENT = "Hello, World!\n".getBytes(StandardCharsets.UTF_8);

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      boolean keepAlive = HttpUtil.isKeepAlive(req);
      FullHttpResponse response = new DefaultFullHttpResponse(req.protocolVersion(), HttpResponseStatus.OK,
          Unpooled.wrappedBuffer(CONTENT));
      response.headers()
          .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
          .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
      if (keepAlive) {
        if (!req.protocolVersion().isKeepAliveDefault()) {
          response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
      } else {
        // Tell the client we're going to close the connection.
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      }
      ChannelFuture f = ctx.write(response);
      if (!keepAlive) {
        f.addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.debug("closing {}: {}", ctx.channel(), cause.toString());
      ctx.close();
    }
  }

  /** Writes each line back; one flush per read burst. */
  @Sharable
  static final class LineEchoHandler extends SimpleChannelInboundHandler<String> {
    static final LineEchoHandler INSTANCE = new LineEchoHandler();

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, String line) {
      ctx.write(line, ctx.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.debug("closing {}: {}", ctx.channel(), cause.toString());
      ctx.close();
    }
  }
}
