package dev.aionet.streams;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.LoopError;
import dev.aionet.core.Transport;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A codec in the options' pipeline in front of the byte streams is never silent: what is not
 * bytes fails the reader, and what is still bytes arrives as the decoder made it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CodecInFrontOfStreamsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void decodedStringsFailTheReaderWithUnexpectedMessageAndCloseTheConnection(Transport transport) throws Exception {
    CompletableFuture<Throwable> seenByHandler = new CompletableFuture<>();
    try (TestLoop t = TestLoop.create(transport)) {
      t.expect(e -> e.exception() instanceof UnexpectedMessageException);
      ServerOptions options = ServerOptions.builder()
          .pipeline(p -> p.addLast(new LineBasedFrameDecoder(100), new StringDecoder(US_ASCII)))
          .build();
      Server server = t.run(() -> Streams.startServer((reader, writer) -> reader.readLine()
          .handle((line, error) -> {
            seenByHandler.complete(error);
            return null;
          }), "127.0.0.1", 0, options));
      Connection c = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
      c.writer().write("SET a 1\n", US_ASCII);
      assertThat(c.reader().read(-1).join(WAIT)).as("the server closed, nothing was answered").isEmpty();
      Throwable error = seenByHandler.get(10, TimeUnit.SECONDS);
      assertThat(error).isInstanceOf(UnexpectedMessageException.class)
          .hasMessageContaining("java.lang.String").hasMessageContaining("Messages");
      assertThat(((UnexpectedMessageException) error).messageType()).isEqualTo(String.class);
      List<LoopError> reports = t.awaitErrors(1, WAIT);
      assertThat(reports).hasSize(1);
      assertThat(reports.get(0).channel()).isPresent();
      c.writer().close();
      server.shutdown(WAIT).join(WAIT);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aFramingDecoderAloneHandsTheStreamsItsFramesWithoutTheirSeparators(Transport transport) {
    // LineBasedFrameDecoder strips the newlines: the byte stream sees the frames run together.
    try (TestLoop t = TestLoop.create(transport)) {
      ServerOptions options = ServerOptions.builder().pipeline(p -> p.addLast(new LineBasedFrameDecoder(100))).build();
      Server server = t.run(() -> Streams.startServer(Echo::echo, "127.0.0.1", 0, options));
      Connection c = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
      c.writer().write("SET a 1\nGET a\n", US_ASCII);
      c.writer().writeEof();
      assertThat(new String(c.reader().read(-1).join(WAIT), US_ASCII)).isEqualTo("SET a 1GET a");
      c.writer().close();
      server.shutdown(WAIT).join(WAIT);
    }
  }
}
