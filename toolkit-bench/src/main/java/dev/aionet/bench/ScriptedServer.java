package dev.aionet.bench;

import java.util.concurrent.CountDownLatch;

/**
 * A benchmark server driven by run-echo-bench.sh: it binds, prints {@code READY port=N} for the
 * script, and serves until the JVM is asked to stop (SIGTERM/SIGINT), then closes.
 */
interface ScriptedServer extends AutoCloseable {
  /** Binds the listener. */
  void bind();

  /** The bound port. */
  int port();

  @Override
  void close();

  /** Binds, announces the port, and blocks until shutdown; returns the exit status. */
  default int serveUntilShutdown(String name) throws InterruptedException {
    bind();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      close();
      stopped.countDown();
    }, name + "-shutdown"));
    // A line for scripts: the server listens from here on.
    System.out.println("READY port=" + port());
    System.out.flush();
    stopped.await();
    return 0;
  }
}
