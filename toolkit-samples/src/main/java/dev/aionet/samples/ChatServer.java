package dev.aionet.samples;

import dev.aionet.core.Aio;
import dev.aionet.core.AsyncQueue;
import dev.aionet.core.Loop;
import dev.aionet.core.LoopOptions;
import dev.aionet.core.Promise;
import dev.aionet.core.QueueFullException;
import dev.aionet.streams.Server;
import dev.aionet.streams.ServerOptions;
import dev.aionet.streams.StreamReader;
import dev.aionet.streams.StreamWriter;
import dev.aionet.streams.Streams;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.logging.LogLevel;
import io.netty.handler.logging.LoggingHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A line chat for {@code nc} or {@code telnet}, showing custom Netty handlers in an aionet
 * pipeline: Netty's {@link IdleStateHandler} disconnects idle users and {@link LoggingHandler}
 * ({@code --verbose}) logs the traffic, both added through {@link ServerOptions.Builder#pipeline}.
 * Each member has an outbox, a bounded {@link AsyncQueue} emptied by its own sender task, so a
 * slow member never holds up the others.
 */
@Command(name = "chat-server", mixinStandardHelpOptions = true, description = "A line chat: nc 127.0.0.1 8889")
public final class ChatServer implements Callable<Integer> {
  private static final int OUTBOX = 100;

  @Option(names = "--host", description = "address to listen on (default: ${DEFAULT-VALUE})")
  String host = "127.0.0.1";

  @Option(names = "--port", description = "port to listen on (default: ${DEFAULT-VALUE})")
  int port = 8889;

  @Option(names = "--idle-timeout", description = "seconds of silence before a user is disconnected (default: ${DEFAULT-VALUE})")
  double idleSeconds = 300;

  @Option(names = "--verbose", description = "log every event of every connection (Netty's LoggingHandler)")
  boolean verbose;

  /** The members by nickname; each one's outbox. Shared by connections on every loop thread. */
  private final Map<String, AsyncQueue<String>> members = new ConcurrentHashMap<>();

  /** The Netty handlers this chat puts in front of aionet's stream adapter. */
  static ServerOptions options(Duration idle, boolean verbose) {
    return ServerOptions.builder().pipeline((ChannelPipeline p) -> {
      if (verbose) {
        p.addLast(new LoggingHandler("chat", LogLevel.INFO));
      }
      p.addLast(new IdleStateHandler(0, 0, idle.toMillis(), TimeUnit.MILLISECONDS));
      p.addLast(new ChannelInboundHandlerAdapter() {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
          if (event instanceof IdleStateEvent) {
            ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(
                "* disconnected: idle for too long *\n".getBytes(StandardCharsets.UTF_8))).addListener(f -> ctx.close());
          } else {
            super.userEventTriggered(ctx, event);
          }
        }
      });
    }).build();
  }

  /** Starts the chat on the current loop. */
  Promise<Server> start(String host, int port, Duration idle) {
    return Streams.startServer(this::member, host, port, options(idle, verbose));
  }

  /** One connection: ask for a free nickname, then relay its lines until EOF or /quit. */
  Promise<Void> member(StreamReader reader, StreamWriter writer) {
    writer.write("Welcome! What is your name?\n", StandardCharsets.UTF_8);
    return askNickname(reader, writer).thenCompose(nick -> {
      if (nick == null) {
        return Promise.completed(null); // left before choosing a name
      }
      AsyncQueue<String> outbox = members.get(nick);
      Aio.createTask(() -> send(outbox, writer), "chat-sender-" + nick);
      broadcast("* " + nick + " joined *");
      return Aio.repeatWhile(() -> reader.readLine(StandardCharsets.UTF_8).thenApply(line -> {
        if (line == null || line.equals("/quit")) {
          return false;
        }
        if (!line.isBlank()) {
          broadcast(nick + ": " + line);
        }
        return true;
      })).whenComplete((v, e) -> {
        members.remove(nick);
        outbox.shutdown(false); // the sender writes what is queued, then stops
        broadcast("* " + nick + " left *");
      });
    });
  }

  private Promise<String> askNickname(StreamReader reader, StreamWriter writer) {
    return reader.readLine(StandardCharsets.UTF_8).thenCompose(name -> {
      if (name == null) {
        return Promise.completed(null);
      }
      String nick = name.strip();
      if (!nick.isEmpty() && members.putIfAbsent(nick, new AsyncQueue<>(OUTBOX)) == null) {
        writer.write("Hello, " + nick + "! Type /quit to leave.\n", StandardCharsets.UTF_8);
        return Promise.completed(nick);
      }
      writer.write("That name is empty or taken, choose another:\n", StandardCharsets.UTF_8);
      return askNickname(reader, writer);
    });
  }

  /** The member's sender task: writes each outbox line and drains, until the outbox shuts down. */
  private static Promise<Void> send(AsyncQueue<String> outbox, StreamWriter writer) {
    return Aio.repeatWhile(() -> outbox.get().thenCompose(line -> {
      writer.write(line + "\n", StandardCharsets.UTF_8);
      return writer.drain().thenApply(x -> true);
    })).handle((v, e) -> null); // ends with QueueShutDownException or a closed connection
  }

  /** Puts a line in every outbox; a member whose outbox is full (not reading) misses it. */
  private void broadcast(String line) {
    for (AsyncQueue<String> outbox : members.values()) {
      try {
        outbox.putNowait(line);
      } catch (QueueFullException | dev.aionet.core.QueueShutDownException slowOrGone) {
        // a member that does not read loses lines rather than holding everyone up
      }
    }
  }

  @Override
  public Integer call() {
    Cli.requirePort(port, true, this);
    Cli.require(idleSeconds > 0, this, "--idle-timeout", "more than 0 seconds", idleSeconds);
    try (Loop loop = Loop.create(LoopOptions.builder().threads(Runtime.getRuntime().availableProcessors()).build())) {
      Duration idle = Duration.ofMillis((long) (idleSeconds * 1000));
      Server server = loop.runUntilComplete(() -> start(host, port, idle));
      System.out.println("chat-server listening on " + server.sockets().get(0) + "; try: nc " + host + " " + server.port());
      loop.runUntilComplete(server::serveForever);
    }
    return 0;
  }

  /**
   * Runs the chat server.
   *
   * @param args see {@code --help}
   */
  public static void main(String... args) {
    System.exit(Cli.run("chat-server", new ChatServer(), args));
  }
}
