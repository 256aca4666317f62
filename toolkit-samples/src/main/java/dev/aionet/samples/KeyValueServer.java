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
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A small key/value store over a line protocol, on {@link Codec#lines}: {@code SET key value}
 * answers {@code OK}, {@code GET key} answers the value or {@code NIL}, {@code DEL key} answers
 * {@code 1} or {@code 0}, {@code QUIT} closes, anything else answers {@code ERR ...}. Each
 * connection is served by one handler that reads a line, answers it, and reads the next: the
 * state every connection shares is one map. Try {@code nc 127.0.0.1 6380}.
 */
@Command(name = "kv-server", mixinStandardHelpOptions = true, description = "A line key/value store: nc 127.0.0.1 6380")
public final class KeyValueServer implements Callable<Integer> {
  /** The longest line accepted, in bytes; a longer one closes the connection. */
  static final int MAX_LINE = 8192;

  @Option(names = "--host", description = "address to listen on (default: ${DEFAULT-VALUE})")
  String host = "127.0.0.1";

  @Option(names = "--port", description = "port to listen on (default: ${DEFAULT-VALUE})")
  int port = 6380;

  /** Shared by the connections of every loop thread. */
  private final Map<String, String> store = new ConcurrentHashMap<>();

  /** Starts the server on the current loop. */
  Promise<Server> start(String host, int port) {
    return Messages.startServer(this::serve, Codec.lines(MAX_LINE), host, port);
  }

  /** One connection: a command per line, an answer per command. */
  Promise<Void> serve(MessageReader<String> reader, MessageWriter<String> writer) {
    return Aio.repeatWhile(() -> reader.read().thenCompose(line -> {
      if (line == null || line.strip().equalsIgnoreCase("QUIT")) {
        return Promise.completed(false);
      }
      return writer.writeAndDrain(answer(line.strip())).thenApply(x -> true);
    }));
  }

  /** The answer to one command. */
  String answer(String command) {
    String[] words = command.split(" ", 3);
    String verb = words[0].toUpperCase(java.util.Locale.ROOT);
    switch (verb) {
      case "SET":
        if (words.length < 3) {
          return "ERR usage: SET key value";
        }
        store.put(words[1], words[2]);
        return "OK";
      case "GET":
        if (words.length != 2) {
          return "ERR usage: GET key";
        }
        return store.getOrDefault(words[1], "NIL");
      case "DEL":
        if (words.length != 2) {
          return "ERR usage: DEL key";
        }
        return store.remove(words[1]) != null ? "1" : "0";
      default:
        return "ERR unknown command '" + words[0] + "'";
    }
  }

  @Override
  public Integer call() {
    try (Loop loop = Loop.create(LoopOptions.builder().threads(Runtime.getRuntime().availableProcessors()).build())) {
      Server server = loop.runUntilComplete(() -> start(host, port));
      System.out.println("kv-server listening on " + server.sockets().get(0) + "; try: nc " + host + " " + server.port());
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
    System.exit(new CommandLine(new KeyValueServer()).execute(args));
  }
}
