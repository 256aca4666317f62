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
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A WebSocket echo on Netty's {@link WebSocketServerProtocolHandler}, a stateful protocol behind
 * aionet's message reads: the handler does the HTTP upgrade, answers pings and closes, and
 * hands on data frames, which the connection's handler reads one at a time, echoes (text in
 * upper case, binary as it came) and releases. Each connection counts its messages, and the
 * reply says which one it was.
 */
@Command(name = "websocket-echo", mixinStandardHelpOptions = true, description = "WebSocket echo at ws://127.0.0.1:8081/ws")
public final class WebSocketEcho implements Callable<Integer> {
  /** HTTP, the upgrade at {@code /ws}, then WebSocket frames of up to 64 KiB each way. */
  static final Codec<WebSocketFrame, WebSocketFrame> WEBSOCKET = Codec.of(WebSocketFrame.class, WebSocketFrame.class,
      p -> p.addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16),
          new WebSocketServerProtocolHandler("/ws", null, false, 1 << 16)));

  @Option(names = "--host", description = "address to listen on (default: ${DEFAULT-VALUE})")
  String host = "127.0.0.1";

  @Option(names = "--port", description = "port to listen on (default: ${DEFAULT-VALUE})")
  int port = 8081;

  /** Starts the server on the current loop. */
  static Promise<Server> start(String host, int port) {
    return Messages.startServer(WebSocketEcho::serve, WEBSOCKET, host, port);
  }

  /** One connection: echo each data frame until the peer closes. */
  static Promise<Void> serve(MessageReader<WebSocketFrame> reader, MessageWriter<WebSocketFrame> writer) {
    int[] count = {0}; // this connection's state
    return Aio.repeatWhile(() -> reader.read().thenCompose(frame -> {
      if (frame == null) {
        return Promise.completed(false);
      }
      WebSocketFrame reply;
      if (frame instanceof TextWebSocketFrame) {
        String text = ((TextWebSocketFrame) frame).text();
        frame.release();
        reply = new TextWebSocketFrame(++count[0] + ": " + text.toUpperCase(java.util.Locale.ROOT));
      } else {
        count[0]++;
        reply = frame; // binary: the same frame goes back, and aionet releases it once written
      }
      return writer.writeAndDrain(reply).thenApply(x -> true);
    }));
  }

  @Override
  public Integer call() {
    try (Loop loop = Loop.create(LoopOptions.builder().build())) {
      Server server = loop.runUntilComplete(() -> start(host, port));
      System.out.println("websocket-echo listening on ws://" + host + ":" + server.port() + "/ws");
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
    System.exit(new CommandLine(new WebSocketEcho()).execute(args));
  }
}
