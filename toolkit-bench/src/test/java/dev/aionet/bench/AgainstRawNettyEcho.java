package dev.aionet.bench;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The load generators' smoke tests: one raw Netty echo server in this process, on 127.0.0.1. */
abstract class AgainstRawNettyEcho {
  private static RawNettyEchoServer server;

  @BeforeAll
  static void startServer() {
    server = RawNettyEchoServer.start("127.0.0.1", 0, 1, "auto");
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  static String port() {
    return String.valueOf(server.port());
  }

  /** A port that was free a moment ago: nothing listens there now. */
  static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
