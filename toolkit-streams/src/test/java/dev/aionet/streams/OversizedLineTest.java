package dev.aionet.streams;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Transport;
import dev.aionet.streams.internal.BufferProbe;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fault F4 (docs/faults.md) and F3's memory bound: a 10 MB line with no newline fails readLine with
 * LimitOverrunException, the reader never holds more than about its limit, and the next line
 * after the over-long one's newline is read intact (docs/differences-from-asyncio.md #1; Netty
 * LineBasedFrameDecoderTest.testTooLongLine).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OversizedLineTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int HUGE = 10_000_000;

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aTenMegabyteLineFailsReadLineInBoundedMemoryAndTheNextLineSurvives(Transport transport) throws Exception {
    try (TestLoop t = TestLoop.create(transport)) {
      BufferProbe probe = new BufferProbe();
      CompletableFuture<Throwable> overrun = new CompletableFuture<>();
      Server server = t.run(() -> Streams.startServer((reader, writer) -> reader.readLine()
          .handle((line, error) -> {
            overrun.complete(error);
            return null;
          })
          .thenCompose(x -> reader.readLine())
          .thenCompose(next -> {
            writer.write("after: ".getBytes(US_ASCII));
            writer.write(next);
            return writer.drain();
          }), "127.0.0.1", 0, ServerOptions.builder().pipeline(p -> p.addLast(probe)).build()));
      try (Socket client = new Socket("127.0.0.1", server.port())) {
        OutputStream out = client.getOutputStream();
        byte[] block = new byte[1 << 20];
        Arrays.fill(block, (byte) 'a');
        for (int sent = 0; sent < HUGE; sent += block.length) {
          out.write(block, 0, Math.min(block.length, HUGE - sent));
        }
        out.write("\nnext line\n".getBytes(US_ASCII));
        out.flush();
        byte[] reply = client.getInputStream().readNBytes("after: next line\n".length());
        assertThat(new String(reply, US_ASCII)).isEqualTo("after: next line\n");
      }
      Throwable error = InboundRecorder.await(overrun, WAIT);
      assertThat(error).isInstanceOf(LimitOverrunException.class);
      assertThat(((LimitOverrunException) error).consumed()).isGreaterThan(ServerOptions.DEFAULT_LIMIT);
      assertThat(probe.max()).as("the most bytes the reader held while 10 MB arrived")
          .isLessThan(4 * ServerOptions.DEFAULT_LIMIT);
      server.shutdown(WAIT).join(WAIT);
    }
  }
}
