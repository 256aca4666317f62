package dev.aionet.streams;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Messages servers and connections: a codec's messages read and written as asyncio streams are. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MessagesTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir
  Path dir;

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aLineServerAnswersEachLineAndTheClientReadsNullOnceTheServerCloses(Transport transport) {
    try (TestLoop t = TestLoop.create(transport)) {
      Server server = t.run(() -> Messages.startServer((MessageReader<String> reader, MessageWriter<String> writer) ->
          MessageEcho.serve(reader, writer, line -> "you said: " + line), Codec.lines(1024), "127.0.0.1", 0));
      MessageConnection<String, String> c = t.run(() -> Messages.openConnection(Codec.lines(1024), "127.0.0.1",
          server.port()));
      c.writer().write("hello");
      c.writer().write("ciao, mondo \u00e8");
      assertThat(c.reader().read().join(WAIT)).isEqualTo("you said: hello");
      assertThat(c.reader().read().join(WAIT)).isEqualTo("you said: ciao, mondo \u00e8");
      c.writer().close();
      c.writer().waitClosed().join(WAIT);
      assertThat(c.reader().read().join(WAIT)).as("after close: EOF").isNull();
      assertThat(c.reader().atEof()).isTrue();
      server.shutdown(WAIT).join(WAIT);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void crlfAndLfLinesArriveWithoutTheirSeparatorAndWritesEndWithLf(Transport transport) {
    try (TestLoop t = TestLoop.create(transport)) {
      Server server = t.run(() -> Messages.startServer(MessageEcho::lines, Codec.lines(64), "127.0.0.1", 0));
      Connection raw = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
      raw.writer().write("one\r\ntwo\nthr".getBytes(US_ASCII));
      raw.writer().write("ee\n".getBytes(US_ASCII));
      raw.writer().writeEof();
      assertThat(new String(raw.reader().read(-1).join(WAIT), US_ASCII)).isEqualTo("one\ntwo\nthree\n");
      raw.writer().close();
      server.shutdown(WAIT).join(WAIT);
    }
  }

  /** The SHA-256 of a frame's readable bytes. */
  private static byte[] sha256(ByteBuf frame) throws Exception {
    return java.security.MessageDigest.getInstance("SHA-256").digest(io.netty.buffer.ByteBufUtil.getBytes(frame));
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void lengthPrefixedFramesArriveWholeHoweverTheBytesAreSplit(Transport transport) throws Exception {
    Random random = new Random(7);
    try (TestLoop t = TestLoop.create(transport)) {
      // The server answers each frame with a frame holding the SHA-256 of what it received.
      Server server = t.run(() -> Messages.startServer((MessageReader<ByteBuf> reader, MessageWriter<ByteBuf> writer) ->
          MessageEcho.serve(reader, writer, frame -> {
            try {
              return Unpooled.wrappedBuffer(sha256(frame));
            } catch (Exception e) {
              throw new IllegalStateException(e);
            } finally {
              frame.release();
            }
          }), Codec.lengthPrefixed(1 << 20), "127.0.0.1", 0));
      MessageConnection<ByteBuf, ByteBuf> c = t.run(() -> Messages.openConnection(Codec.lengthPrefixed(1 << 20),
          "127.0.0.1", server.port()));
      for (int size : List.of(0, 1, 1000, 70_000, 1 << 20)) {
        byte[] payload = new byte[size];
        random.nextBytes(payload);
        ByteBuf sent = Unpooled.wrappedBuffer(payload);
        byte[] expected = sha256(sent);
        c.writer().write(sent);
        ByteBuf digest = c.reader().read().join(WAIT);
        try {
          assertThat(io.netty.buffer.ByteBufUtil.getBytes(digest)).as("frame of %d bytes", size).isEqualTo(expected);
        } finally {
          digest.release();
        }
      }
      c.writer().close();
      server.shutdown(WAIT).join(WAIT);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  @SuppressWarnings("deprecation")
  void overTlsThePipelineIsTlsThenTheCustomizerThenTheCodecThenTheProtectionsThenTheAdapter(Transport transport)
      throws Exception {
    SelfSignedCertificate cert = new SelfSignedCertificate("localhost");
    try (TestLoop t = TestLoop.create(transport)) {
      SslContext serverContext = SslContextBuilder.forServer(cert.certificate(), cert.privateKey()).build();
      SslContext clientContext = SslContextBuilder.forClient().trustManager(cert.certificate()).build();
      AtomicReference<List<String>> names = new AtomicReference<>();
      ServerOptions options = ServerOptions.builder().ssl(serverContext)
          .pipeline(p -> p.addLast("user", new io.netty.handler.logging.LoggingHandler()))
          .idleTimeout(Duration.ofSeconds(30))
          .build();
      Codec<String, String> codec = Codec.of(String.class, String.class, p -> {
        p.addLast("codec", new io.netty.handler.codec.LineBasedFrameDecoder(100));
        p.addLast(new io.netty.handler.codec.string.StringDecoder(UTF_8));
        p.addLast(new io.netty.handler.codec.string.LineEncoder(UTF_8));
      });
      Server server = t.run(() -> Messages.startServer((MessageReader<String> reader, MessageWriter<String> writer) -> {
        names.set(writer.channel().pipeline().names());
        return MessageEcho.lines(reader, writer);
      }, codec, "127.0.0.1", 0, options));
      MessageConnection<String, String> c = t.run(() -> Messages.openConnection(Codec.lines(100), "127.0.0.1",
          server.port(), ClientOptions.builder().ssl(clientContext).serverHostname("localhost").build()));
      c.writer().write("secret");
      assertThat(c.reader().read().join(WAIT)).isEqualTo("secret");
      assertThat(c.writer().getExtraInfo("sslcontext")).isSameAs(clientContext);
      assertThat(names.get()).containsSubsequence("aionet-ssl", "user", "codec", "aionet-timeouts", "aionet-messages");
      c.writer().close();
      server.shutdown(WAIT).join(WAIT);
    } finally {
      cert.delete();
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void messagesWorkOverUnixSockets(Transport transport) {
    Path socket = dir.resolve("lines.sock");
    try (TestLoop t = TestLoop.create(transport)) {
      Server server = t.run(() -> Messages.startUnixServer(MessageEcho::lines, Codec.lines(64), socket,
          ServerOptions.defaults()));
      MessageConnection<String, String> c = t.run(() -> Messages.openUnixConnection(Codec.lines(64), socket,
          ClientOptions.defaults()));
      c.writer().write("over a file");
      assertThat(c.reader().read().join(WAIT)).isEqualTo("over a file");
      c.writer().close();
      server.shutdown(WAIT).join(WAIT);
    }
  }
}
