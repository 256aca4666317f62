package dev.aionet.streams;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Aio;
import dev.aionet.core.AsyncTimeoutException;
import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import dev.aionet.streams.internal.BufferProbe;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fault F3 (docs/faults.md): a client that trickles a line that never ends. The reader's limit bounds the memory
 * (LimitOverrunException once more than limit bytes came without a newline); time limits come from
 * timeout(), and only a total deadline per request stops a trickle that per-read timeouts never do.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SlowlorisTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration PACE = Duration.ofMillis(20);

  /**
   * Sends {@code count} bytes 'x', one every {@link #PACE} (a timer paces the attack), counting
   * them; stops early on {@code stop} or when the server closes. Completes when the trickle ends.
   */
  private static CompletableFuture<Void> trickle(Socket socket, int count, AtomicInteger sent, CompletableFuture<?> stop) {
    CompletableFuture<Void> ended = new CompletableFuture<>();
    ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread th = new Thread(r, "slowloris");
      th.setDaemon(true);
      return th;
    });
    pace.scheduleAtFixedRate(() -> {
      try {
        if (sent.get() >= count || stop.isDone()) {
          ended.complete(null);
          return;
        }
        OutputStream out = socket.getOutputStream();
        out.write('x');
        out.flush();
        sent.incrementAndGet();
      } catch (IOException closedByTheServer) {
        ended.complete(null); // the server closed the connection: the trickle ends
      }
    }, 0, PACE.toMillis(), TimeUnit.MILLISECONDS);
    ended.whenComplete((v, e) -> pace.shutdownNow());
    return ended;
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aTrickledLineThatNeverEndsFailsReadLineOnceMoreThanLimitBytesArrived(Transport transport) throws Exception {
    int limit = 16;
    try (TestLoop t = TestLoop.create(transport)) {
      CompletableFuture<Throwable> failed = new CompletableFuture<>();
      AtomicInteger sentAtFailure = new AtomicInteger();
      AtomicInteger sent = new AtomicInteger();
      BufferProbe probe = new BufferProbe();
      Server server = t.run(() -> Streams.startServer((reader, writer) -> reader.readLine().handle((line, error) -> {
        sentAtFailure.set(sent.get());
        failed.complete(error);
        return null;
      }), "127.0.0.1", 0, ServerOptions.builder().limit(limit).pipeline(p -> p.addLast(probe)).build()));
      try (Socket socket = new Socket("127.0.0.1", server.port())) {
        CompletableFuture<Void> attacker = trickle(socket, 200, sent, failed);
        Throwable error = InboundRecorder.await(failed, WAIT);
        assertThat(error).isInstanceOf(LimitOverrunException.class);
        assertThat(((LimitOverrunException) error).consumed()).isGreaterThan(limit);
        assertThat(sentAtFailure.get()).as("failed while the line was still trickling").isLessThan(200);
        assertThat(probe.max()).as("bytes the reader ever held").isLessThanOrEqualTo(limit + 1);
        attacker.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      }
      server.shutdown(WAIT).join(WAIT);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aTotalDeadlineCutsOffATrickleThatPerReadTimeoutsNeverWould(Transport transport) throws Exception {
    try (TestLoop t = TestLoop.create(transport)) {
      CompletableFuture<Integer> perReadSurvived = new CompletableFuture<>();
      CompletableFuture<Throwable> deadline = new CompletableFuture<>();
      CompletableFuture<String> lineAfterwards = new CompletableFuture<>();
      AtomicInteger connections = new AtomicInteger();
      Server server = t.run(() -> Streams.startServer((reader, writer) -> {
        if (connections.incrementAndGet() == 1) {
          // a 300 ms timeout per read: a byte every 20 ms keeps it alive for all 40 bytes
          AtomicInteger got = new AtomicInteger();
          return Aio.repeatWhile(() -> Aio.waitFor(reader.read(1), Duration.ofMillis(300))
              .thenApply(b -> b.length > 0 && got.incrementAndGet() < 40))
              .whenComplete((ok, error) -> perReadSurvived.complete(error == null ? got.get() : -1));
        }
        // a 300 ms deadline for the whole line: the trickle is cut off, its bytes stay buffered
        return Aio.timeout(Duration.ofMillis(300), () -> reader.readLine())
            .handle((line, error) -> {
              deadline.complete(error);
              writer.write("timeout\n", US_ASCII);
              return null;
            })
            .thenCompose(x -> reader.readLine())
            .thenAccept(line -> lineAfterwards.complete(new String(line, US_ASCII)))
            .thenApply(x -> null);
      }, "127.0.0.1", 0));

      AtomicInteger sent = new AtomicInteger();
      try (Socket kept = new Socket("127.0.0.1", server.port())) {
        trickle(kept, 40, sent, new CompletableFuture<>()).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(InboundRecorder.await(perReadSurvived, WAIT)).as("bytes read, no timeout").isEqualTo(40);
      }
      AtomicInteger sent2 = new AtomicInteger();
      try (Socket cut = new Socket("127.0.0.1", server.port())) {
        CompletableFuture<Void> stop = new CompletableFuture<>();
        CompletableFuture<Void> attacker = trickle(cut, 200, sent2, stop);
        InputStream in = cut.getInputStream();
        byte[] notice = in.readNBytes("timeout\n".length());
        assertThat(new String(notice, US_ASCII)).isEqualTo("timeout\n");
        stop.complete(null);
        attacker.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(InboundRecorder.await(deadline, WAIT)).isInstanceOf(AsyncTimeoutException.class);
        cut.getOutputStream().write("end\n".getBytes(US_ASCII));
        assertThat(InboundRecorder.await(lineAfterwards, WAIT))
            .as("every trickled byte survived the timeout").isEqualTo("x".repeat(sent2.get()) + "end\n");
      }
      server.shutdown(WAIT).join(WAIT);
    }
  }
}
