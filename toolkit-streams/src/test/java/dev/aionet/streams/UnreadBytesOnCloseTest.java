package dev.aionet.streams;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A connection that closes while its reader still holds unread bytes (the user closed the
 * channel, a pipeline handler such as an idle timeout did, or the loop shut down) and whose
 * reader nobody ever reads to the end or closes: the socket's pooled buffers must be released
 * when the channel goes inactive, and the bytes must stay readable (Fault F12 (docs/faults.md)).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UnreadBytesOnCloseTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void closingTheChannelReleasesTheSocketsBuffersAndKeepsTheUnreadBytesReadable(Transport transport) {
    try (TestLoop t = TestLoop.create(transport)) {
      Server server = t.run(() -> Streams.startServer((reader, writer) -> {
        writer.write("hello\n", US_ASCII);
        writer.write("world", US_ASCII);
        return Promise.completed(null); // flush, then FIN
      }, "127.0.0.1", 0));
      InboundRecorder recorder = new InboundRecorder();
      Connection c = t.run(() -> Streams.openConnection("127.0.0.1", server.port(),
          ClientOptions.builder().pipeline(p -> p.addLast(recorder)).build()));
      InboundRecorder.await(recorder.inputShutdown, WAIT); // every byte and the FIN arrived, unread
      assertThat(recorder.refCounts()).isNotEmpty().allMatch(n -> n == 1);

      c.writer().channel().close(); // not writer.close(): nobody releases the reader
      InboundRecorder.await(recorder.inactive, WAIT);

      awaitReleased(recorder); // the recorder sees the channel inactive before the reader behind it does
      assertThat(recorder.refCounts()).as("the socket's buffers, once the channel is inactive").allMatch(n -> n == 0);
      assertThat(new String(c.reader().read(-1).join(WAIT), US_ASCII)).isEqualTo("hello\nworld");
      assertThat(c.reader().atEof()).isTrue();
      server.shutdown(WAIT).join(WAIT);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aResetReleasesTheSocketsBuffersOfAReaderNobodyCloses(Transport transport) {
    try (TestLoop t = TestLoop.create(transport)) {
      Server server = t.run(() -> Streams.startServer((reader, writer) -> {
        writer.write("unread", US_ASCII);
        return writer.drain().thenCompose(x -> reader.read(1)).thenApply(x -> null);
      }, "127.0.0.1", 0));
      InboundRecorder recorder = new InboundRecorder();
      Connection c = t.run(() -> Streams.openConnection("127.0.0.1", server.port(),
          ClientOptions.builder().pipeline(p -> p.addLast(recorder)).build()));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (recorder.received.isEmpty() && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(recorder.refCounts()).isNotEmpty();
      server.abortClients(); // RST: the client's channel goes inactive on its own
      InboundRecorder.await(recorder.inactive, WAIT);

      awaitReleased(recorder);
      assertThat(recorder.refCounts()).allMatch(n -> n == 0);
      server.shutdown(WAIT).join(WAIT);
    }
  }

  /** Polls (1 ms apart, bounded by WAIT) until every buffer the recorder saw is released. */
  private static void awaitReleased(InboundRecorder recorder) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!recorder.refCounts().stream().allMatch(n -> n == 0) && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
  }
}
