package dev.aionet.streams;

import dev.aionet.core.Loop;
import dev.aionet.core.LoopOptions;
import dev.aionet.core.Transport;
import java.io.IOException;

/**
 * The child process of {@link FdExhaustionTest}: an echo server on 127.0.0.1:0 over the transport
 * named in {@code args[0]}, run under a low {@code ulimit -n}. It prints {@code PORT <n>} and serves
 * until its standard input ends.
 */
public final class FdExhaustionServer {
  private FdExhaustionServer() {}

  /**
   * Serves until stdin closes.
   *
   * @param args the transport's name
   * @throws IOException if stdin fails
   */
  public static void main(String[] args) throws IOException {
    Transport transport = Transport.valueOf(args[0]);
    try (Loop loop = Loop.create(LoopOptions.builder().transport(transport).threads(1).build())) {
      Server server = loop.runUntilComplete(() -> Streams.startServer(Echo::echo, "127.0.0.1", 0));
      System.out.println("PORT " + server.port());
      System.out.flush();
      while (System.in.read() >= 0) {
        // serve until the parent closes our stdin
      }
      server.close();
    }
  }
}
