package dev.aionet.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One soak client thread: it repeats one behaviour (its {@link Fate}) against the echo server
 * until the deadline, on plain blocking JDK sockets so that the client side never depends on the
 * library under test.
 */
final class SoakClient implements Runnable {
  /** What a client does with its connections. */
  enum Fate {
    /** Round trips of random payloads, every byte compared; then a clean half-close. */
    WELL_BEHAVED("well-behaved"),
    /** Sends a little, then resets the connection (SO_LINGER 0). */
    RESET("reset"),
    /** One byte every 50 ms for 2 s, no newline, reading the echo. */
    SLOWLORIS("slowloris"),
    /** A 4 MiB line with no newline, read back concurrently. */
    OVERSIZE("oversize"),
    /** Writes as long as the socket takes it for 1.5 s and never reads; then closes (a reset). */
    NEVER_READING("never-reading");

    private final String label;

    Fate(String label) {
      this.label = label;
    }

    String label() {
      return label;
    }
  }

  private static final int CONNECT_TIMEOUT_MS = 5_000;
  private static final int READ_TIMEOUT_MS = 15_000;
  private static final int MAX_PAYLOAD = 64 * 1024;

  private final Fate fate;
  private final InetSocketAddress server;
  private final long deadlineNanos;
  private final SoakReport report;

  SoakClient(Fate fate, InetSocketAddress server, long deadlineNanos, SoakReport report) {
    this.fate = fate;
    this.server = server;
    this.deadlineNanos = deadlineNanos;
    this.report = report;
  }

  private boolean timeLeft() {
    return System.nanoTime() < deadlineNanos;
  }

  @Override
  public void run() {
    while (timeLeft()) {
      report.connection(fate);
      try {
        switch (fate) {
          case WELL_BEHAVED -> wellBehaved();
          case RESET -> reset();
          case SLOWLORIS -> slowloris();
          case OVERSIZE -> oversize();
          case NEVER_READING -> neverReading();
          default -> throw new IllegalStateException(fate.name());
        }
      } catch (IOException | RuntimeException e) {
        if (fate == Fate.WELL_BEHAVED) {
          report.failure("well-behaved client: " + e);
        }
        report.clientError(fate, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private Socket connect() throws IOException {
    Socket s = new Socket();
    s.connect(server, CONNECT_TIMEOUT_MS);
    s.setSoTimeout(READ_TIMEOUT_MS);
    return s;
  }

  private void wellBehaved() throws IOException {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    byte[] payload = new byte[MAX_PAYLOAD];
    byte[] echo = new byte[MAX_PAYLOAD];
    try (Socket s = connect()) {
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      int rounds = random.nextInt(1, 21);
      for (int r = 0; r < rounds && timeLeft(); r++) {
        int size = random.nextInt(1, MAX_PAYLOAD + 1);
        random.nextBytes(payload);
        out.write(payload, 0, size);
        out.flush();
        int got = in.readNBytes(echo, 0, size);
        if (got < size) {
          report.failure("well-behaved client: " + (size - got) + " of " + size + " bytes missing (EOF)");
          return;
        }
        if (!Arrays.equals(payload, 0, size, echo, 0, size)) {
          report.failure("well-behaved client: wrong bytes in a " + size + "-byte echo");
          return;
        }
        report.request(size);
      }
      s.shutdownOutput();
      int extra = in.read();
      if (extra != -1) {
        report.failure("well-behaved client: a byte it never sent after its last echo");
      }
    }
  }

  private void reset() throws IOException {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    try (Socket s = connect()) {
      byte[] some = new byte[random.nextInt(1, 32 * 1024)];
      s.getOutputStream().write(some);
      if (random.nextBoolean()) {
        s.getInputStream().read(new byte[1024]); // reset in the middle of the echo
      }
      s.setSoLinger(true, 0);
    }
  }

  private void slowloris() throws IOException, InterruptedException {
    try (Socket s = connect()) {
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      int sent = 0;
      long stop = Math.min(deadlineNanos, System.nanoTime() + 2_000_000_000L);
      while (System.nanoTime() < stop) {
        out.write('x');
        out.flush();
        sent++;
        Thread.sleep(50); // the attack's pace
        in.skipNBytes(Math.min(in.available(), sent));
      }
      s.shutdownOutput();
      while (in.read() != -1) {
        // the rest of the echo, then EOF
      }
    }
  }

  private void oversize() throws IOException, InterruptedException {
    int size = 4 << 20;
    try (Socket s = connect()) {
      byte[] line = new byte[size];
      Arrays.fill(line, (byte) 'y');
      Thread writer = new Thread(() -> {
        try {
          s.getOutputStream().write(line);
          s.shutdownOutput();
        } catch (IOException e) {
          report.clientError(Fate.OVERSIZE, e);
        }
      }, "soak-oversize-writer");
      writer.start();
      long got = s.getInputStream().transferTo(OutputStream.nullOutputStream());
      writer.join();
      if (got != size) {
        report.failure("oversize client: " + got + " of " + size + " bytes echoed");
      }
    }
  }

  private void neverReading() throws IOException, InterruptedException {
    try (SocketChannel ch = SocketChannel.open()) {
      ch.socket().connect(server, CONNECT_TIMEOUT_MS);
      ch.configureBlocking(false);
      ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
      long stop = Math.min(deadlineNanos, System.nanoTime() + 1_500_000_000L);
      while (System.nanoTime() < stop) {
        chunk.clear();
        if (ch.write(chunk) == 0) {
          Thread.sleep(10); // the socket is full: the server stopped reading us, as it should
        }
      }
    } // closing with unread input: the kernel resets the connection
  }
}
