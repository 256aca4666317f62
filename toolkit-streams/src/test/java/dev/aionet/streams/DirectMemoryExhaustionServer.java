package dev.aionet.streams;

import dev.aionet.core.Aio;
import dev.aionet.core.Loop;
import dev.aionet.core.LoopOptions;
import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import dev.aionet.testing.LeakCheckExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The child process of {@link DirectMemoryExhaustionTest}: on the transport named in {@code args[0]},
 * a server whose handler stalls, then reads to EOF and answers with the byte count, run under a small
 * {@code -XX:MaxDirectMemorySize}. It prints {@code PORT <n>}, then one {@code REPORT} line for
 * each error its loop's exception handler receives; {@code IDLE} on its standard input waits (up to
 * 30 s) until no connection is open, then prints the open connections and the direct memory in use. When its standard input ends it closes
 * everything, makes Netty's leak detector look (garbage collection, then allocations), prints
 * {@code DONE} and exits.
 */
public final class DirectMemoryExhaustionServer {
  private DirectMemoryExhaustionServer() {}

  /**
   * Stalls for three seconds, so that every client's reader fills up to its bound at the same time,
   * then reads to EOF and answers with the byte count.
   */
  static Promise<Void> stallThenCount(StreamReader reader, StreamWriter writer) {
    return Aio.sleep(Duration.ofSeconds(3)).thenCompose(x -> count(reader, writer, 0));
  }

  private static Promise<Void> count(StreamReader reader, StreamWriter writer, long bytes) {
    return reader.read(64 * 1024).thenCompose(data -> {
      if (data.length == 0) {
        writer.write(bytes + "\n", StandardCharsets.US_ASCII);
        return writer.drain();
      }
      return count(reader, writer, bytes + data.length);
    });
  }

  /** Netty's count of the direct memory its buffers use (on in the child), else the JDK's. */
  private static long directMemoryUsed() {
    long netty = io.netty.util.internal.PlatformDependent.usedDirectMemory();
    return netty >= 0 ? netty : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
        .filter(pool -> pool.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
  }

  private static synchronized void say(String line) {
    System.out.println(line);
    System.out.flush();
  }

  /**
   * Serves until stdin ends.
   *
   * @param args the transport's name
   * @throws IOException if stdin fails
   */
  public static void main(String[] args) throws IOException {
    Transport transport = Transport.valueOf(args[0]);
    try (Loop loop = Loop.create(LoopOptions.builder().transport(transport).threads(1).build())) {
      loop.setExceptionHandler(e -> say("REPORT " + e.message() + " | " + e.exception()));
      Server server = loop.runUntilComplete(() -> Streams.startServer(
          DirectMemoryExhaustionServer::stallThenCount, "127.0.0.1", 0));
      say("PORT " + server.port());
      BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
      for (String command = commands.readLine(); command != null; command = commands.readLine()) {
        if (command.equals("IDLE")) {
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
          while (server.connectionCount() != 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(10_000_000);
          }
          say("IDLE " + server.connectionCount() + " " + directMemoryUsed());
        }
      }
      server.close();
      server.waitClosed().join(Duration.ofSeconds(30));
    }
    LeakCheckExtension.provokeLeakReports(); // Netty reports a leak when a later allocation finds it
    say("DONE");
  }
}
