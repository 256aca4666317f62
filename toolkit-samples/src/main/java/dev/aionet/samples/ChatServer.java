package dev.aionet.samples;

import dev.aionet.core.Aio;
import dev.aionet.core.AsyncQueue;
import dev.aionet.core.Loop;
import dev.aionet.core.LoopOptions;
import dev.aionet.core.Promise;
import dev.aionet.core.QueueFullException;
import dev.aionet.core.QueueShutDownException;
import dev.aionet.streams.ConnectionResetException;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A line chat for {@code nc} or {@code telnet}, showing custom Netty handlers in an aionet
 * pipeline: Netty's {@link IdleStateHandler} disconnects idle users and {@link LoggingHandler}
 * ({@code --verbose}) logs the traffic, both added through {@link ServerOptions.Builder#pipeline}.
 * Each member has an outbox, a bounded {@link AsyncQueue} emptied by its own sender task, so a
 * slow member never holds up the others: a member whose outbox is full misses lines, is told how
 * many once it reads again, and the server logs it. A sender that stops for any reason other
 * than its member leaving says why in the log.
 */
@Command(name = "chat-server", mixinStandardHelpOptions = true, description = "A line chat: nc 127.0.0.1 8889")
public final class ChatServer implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ChatServer.class);
  private static final int OUTBOX = 100;

  @Option(names = "--host", description = "address to listen on (default: ${DEFAULT-VALUE})")
  String host = "127.0.0.1";

  @Option(names = "--port", description = "port to listen on (default: ${DEFAULT-VALUE})")
  int port = 8889;

  @Option(names = "--idle-timeout", description = "seconds of silence before a user is disconnected (default: ${DEFAULT-VALUE})")
  double idleSeconds = 300;

  @Option(names = "--verbose", description = "log every event of every connection (Netty's LoggingHandler)")
  boolean verbose;

  /** The members by nickname. Shared by connections on every loop thread. */
  private final Map<String, Member> members = new ConcurrentHashMap<>();

  /** A member's outbox, and the lines they missed while it was full. */
  private static final class Member {
    final String nick;
    final AsyncQueue<String> outbox = new AsyncQueue<>(OUTBOX);
    final AtomicInteger missed = new AtomicInteger();

    Member(String nick) {
      this.nick = nick;
    }
  }

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
    return Streams.startServer((reader, writer) -> member(reader, writer).exceptionallyCompose(ChatServer::resetIsALeave),
        host, port, options(idle, verbose));
  }

  /**
   * A user whose connection is reset (the terminal closed, the network dropped) has left, as with
   * /quit: logged in one line, not reported as a failure of the server. Any other failure still
   * reaches the loop's exception handler.
   */
  private static Promise<Void> resetIsALeave(Throwable error) {
    if (error instanceof ConnectionResetException) {
      LOG.info("a member's connection was reset: {}", error.getMessage());
      return Promise.completed(null);
    }
    return Promise.failed(error);
  }

  /** One connection: ask for a free nickname, then relay its lines until EOF or /quit. */
  Promise<Void> member(StreamReader reader, StreamWriter writer) {
    writer.write("Welcome! What is your name?\n", StandardCharsets.UTF_8);
    return askNickname(reader, writer).thenCompose(nick -> {
      if (nick == null) {
        return Promise.completed(null); // left before choosing a name
      }
      Member member = members.get(nick);
      Aio.createTask(() -> send(member, writer), "chat-sender-" + nick);
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
        member.outbox.shutdown(false); // the sender writes what is queued, then stops
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
      if (!nick.isEmpty() && members.putIfAbsent(nick, new Member(nick)) == null) {
        writer.write("Hello, " + nick + "! Type /quit to leave.\n", StandardCharsets.UTF_8);
        return Promise.completed(nick);
      }
      writer.write("That name is empty or taken, choose another:\n", StandardCharsets.UTF_8);
      return askNickname(reader, writer);
    });
  }

  /**
   * The member's sender task: writes each outbox line and drains, until the outbox shuts down
   * (the member left: the normal end). First it tells the member how many lines they missed.
   */
  private static Promise<Void> send(Member member, StreamWriter writer) {
    return Aio.repeatWhile(() -> member.outbox.get().thenCompose(line -> {
      int missed = member.missed.getAndSet(0);
      if (missed > 0) {
        writer.write("* " + missed + " messages lost: read faster *\n", StandardCharsets.UTF_8);
      }
      writer.write(line + "\n", StandardCharsets.UTF_8);
      return writer.drain().thenApply(x -> true);
    })).handle((v, error) -> {
      if (error == null || error instanceof QueueShutDownException) {
        return null; // the member left and everything queued for them was written
      }
      if (error instanceof ConnectionResetException) {
        // the connection was lost under the sender: the member's reader sees it too and leaves
        LOG.info("{}'s connection was lost: {}", member.nick, error.getMessage());
      } else {
        LOG.warn("{}'s sender stopped; they receive no more lines", member.nick, error);
      }
      return null;
    });
  }

  /**
   * Puts a line in every outbox. A member whose outbox is full (not reading) misses it rather than
   * holding everyone up; one who is leaving (outbox shut down) no longer needs it.
   */
  private void broadcast(String line) {
    for (Member member : members.values()) {
      try {
        member.outbox.putNowait(line);
      } catch (QueueFullException full) {
        if (member.missed.getAndIncrement() == 0) {
          LOG.warn("{} is not reading: their outbox of {} lines is full, lines to them are dropped", member.nick, OUTBOX);
        }
      } catch (QueueShutDownException leaving) {
        LOG.debug("{} left before the line reached them: {}", member.nick, line);
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
