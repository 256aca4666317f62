package dev.aionet.streams;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input on a message connection: the reads fail with the documented exception, the
 * connection closes, one report reaches the loop's exception handler, other connections go on.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MessageBadInputTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /**
   * Starts a server of {@code codec} whose handler records how its first read ended, sends
   * {@code bad} from one client and then {@code good} (if not null) from another, which must be
   * answered, and returns the first read's error.
   */
  private static <I> Throwable badInput(Transport transport, Codec<I, String> codec, byte[] bad, byte[] good,
      Class<? extends Throwable> reported) throws Exception {
    CompletableFuture<Throwable> firstError = new CompletableFuture<>();
    try (TestLoop t = TestLoop.create(transport)) {
      t.expect(e -> reported.isInstance(e.exception()));
      Server server = t.run(() -> Messages.startServer((MessageReader<I> reader, MessageWriter<String> writer) ->
          reader.read().handle((message, error) -> {
            if (error != null) {
              firstError.complete(error);
              return Promise.<Void>completed(null);
            }
            writer.write("fine");
            io.netty.util.ReferenceCountUtil.release(message);
            return writer.drain();
          }).thenCompose(p -> p), codec, "127.0.0.1", 0));
      Connection badClient = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
      badClient.writer().write(bad);
      assertThat(badClient.reader().read(-1).join(WAIT)).as("closed without an answer").isEmpty();
      assertThat(t.awaitErrors(1, WAIT)).hasSize(1);

      if (good != null) {
        Connection goodClient = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
        goodClient.writer().write(good);
        assertThat(new String(goodClient.reader().readLine().join(WAIT), US_ASCII)).as("the server keeps serving")
            .isEqualTo("fine\n");
        goodClient.writer().close();
      }
      badClient.writer().close();
      server.shutdown(WAIT).join(WAIT);
      assertThat(t.errors()).as("one report for the bad connection").hasSize(1);
      return firstError.get(10, TimeUnit.SECONDS);
    }
  }

  /** A line codec whose writes are lines too. */
  private static Codec<String, String> lines(int max) {
    return Codec.lines(max);
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void anOverLongLineFailsTheReadsWithTooLongFrame(Transport transport) throws Exception {
    byte[] line = new byte[100];
    java.util.Arrays.fill(line, (byte) 'x');
    assertThat(badInput(transport, lines(16), line, "ok\n".getBytes(US_ASCII),
        TooLongFrameException.class))
        .isInstanceOf(TooLongFrameException.class);
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aFrameAnnouncedLongerThanTheMaximumFailsTheReadsAtOnce(Transport transport) throws Exception {
    Consumer<io.netty.channel.ChannelPipeline> framesInLinesOut = p -> {
      p.addLast(new io.netty.handler.codec.LengthFieldBasedFrameDecoder(16 + 4, 0, 4, 0, 4));
      p.addLast(new io.netty.handler.codec.string.LineEncoder(US_ASCII));
    };
    Codec<ByteBuf, String> codec = Codec.of(ByteBuf.class, String.class, framesInLinesOut);
    byte[] header = {0, 0, 0x03, (byte) 0xe8}; // 1000 bytes announced, none sent
    assertThat(badInput(transport, codec, header, new byte[] {0, 0, 0, 3, 'o', 'k', '!'},
        TooLongFrameException.class))
        .isInstanceOf(TooLongFrameException.class);
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aMessageOfAnotherTypeThanTheCodecPromisedFailsTheReadsWithUnexpectedMessage(Transport transport)
      throws Exception {
    // The codec says String but only frames lines: ByteBufs reach the reader.
    Codec<String, String> wrong = Codec.of(String.class, String.class, p -> {
      p.addLast(new LineBasedFrameDecoder(64));
      p.addLast(new io.netty.handler.codec.string.LineEncoder(US_ASCII));
    });
    Throwable error = badInput(transport, wrong, "hello\n".getBytes(US_ASCII), null,
        UnexpectedMessageException.class);
    assertThat(error).isInstanceOf(UnexpectedMessageException.class);
    assertThat(((UnexpectedMessageException) error).messageType()).isAssignableTo(ByteBuf.class);
  }
}
