package dev.aionet.samples;

import dev.aionet.core.Aio;
import dev.aionet.core.Loop;
import dev.aionet.core.LoopOptions;
import dev.aionet.core.Promise;
import dev.aionet.streams.Codec;
import dev.aionet.streams.MessageReader;
import dev.aionet.streams.MessageWriter;
import dev.aionet.streams.Messages;
import dev.aionet.streams.Server;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * An HTTP/1.1 "hello world" on Netty's HTTP codec behind aionet's message reads: each
 * {@code FullHttpRequest} is read, answered with a {@code FullHttpResponse}, and released.
 * Keep-alive and pipelined requests are answered in order on one connection, since one handler
 * reads them one at a time. A request Netty's codec could not parse gets {@code 400 Bad Request}
 * and the connection is closed. Try {@code curl -v http://127.0.0.1:8080/} or
 * {@code wrk -c 50 http://127.0.0.1:8080/}.
 */
@Command(name = "http-hello", mixinStandardHelpOptions = true, description = "HTTP hello world: curl http://127.0.0.1:8080/")
public final class HttpHello implements Callable<Integer> {
  private static final byte[] HELLO = "Hello, World!\n".getBytes(StandardCharsets.UTF_8);

  /** Netty's HTTP server codec and an aggregator: one FullHttpRequest per request, 1 MiB at most. */
  public static final Codec<FullHttpRequest, FullHttpResponse> HTTP = Codec.of(FullHttpRequest.class, FullHttpResponse.class,
      p -> p.addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20)));

  @Option(names = "--host", description = "address to listen on (default: ${DEFAULT-VALUE})")
  String host = "127.0.0.1";

  @Option(names = "--port", description = "port to listen on (default: ${DEFAULT-VALUE})")
  int port = 8080;

  @Option(names = "--threads", description = "loop threads (default: ${DEFAULT-VALUE})")
  int threads = 1;

  /** Starts the server on the current loop. */
  static Promise<Server> start(String host, int port) {
    return Messages.startServer(HttpHello::serve, HTTP, host, port);
  }

  /**
   * One connection: answer each request until the peer closes or asks to (the benchmark serves
   * with it too).
   *
   * @param reader the connection's requests
   * @param writer the connection's responses
   * @return completes when the connection is done
   */
  public static Promise<Void> serve(MessageReader<FullHttpRequest> reader, MessageWriter<FullHttpResponse> writer) {
    return Aio.repeatWhile(() -> reader.read().thenCompose(request -> {
      if (request == null) {
        return Promise.completed(false);
      }
      boolean valid;
      boolean keepAlive;
      try {
        valid = request.decoderResult().isSuccess(); // Netty's codec marks garbage instead of throwing
        keepAlive = valid && HttpUtil.isKeepAlive(request);
      } finally {
        request.release(); // the request is ours once read
      }
      FullHttpResponse response = valid
          ? new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(HELLO))
          : new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST, Unpooled.EMPTY_BUFFER);
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
          .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
      if (!keepAlive) {
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      }
      return writer.writeAndDrain(response).thenApply(x -> keepAlive);
    }));
  }

  @Override
  public Integer call() {
    try (Loop loop = Loop.create(LoopOptions.builder().threads(threads).build())) {
      Server server = loop.runUntilComplete(() -> start(host, port));
      System.out.println("http-hello listening on " + server.sockets().get(0) + "; try: curl http://" + host + ":"
          + server.port() + "/");
      loop.runUntilComplete(server::serveForever);
    }
    return 0;
  }

  /**
   * Runs the server.
   *
   * @param args see {@code --help}
   */
  public static void main(String... args) {
    System.exit(new CommandLine(new HttpHello()).execute(args));
  }
}
