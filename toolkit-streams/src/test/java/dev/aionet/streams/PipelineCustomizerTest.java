package dev.aionet.streams;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Transport;
import dev.aionet.streams.internal.StreamAdapter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.logging.LogLevel;
import io.netty.handler.logging.LoggingHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** User handlers from ServerOptions/ClientOptions.pipeline land in front of the stream adapter. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PipelineCustomizerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** A codec that upper-cases every received byte (not @Sharable: one per channel). */
  static final class UpperCase extends MessageToMessageDecoder<ByteBuf> {
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf msg, List<Object> out) {
      ByteBuf upper = ctx.alloc().buffer(msg.readableBytes());
      while (msg.isReadable()) {
        upper.writeByte(Character.toUpperCase(msg.readByte()));
      }
      out.add(upper);
    }
  }

  /** Closes the channel when IdleStateHandler reports it idle. */
  static final class CloseWhenIdle extends ChannelInboundHandlerAdapter {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof IdleStateEvent) {
        ctx.close();
        return;
      }
      ctx.fireUserEventTriggered(evt);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void serverHandlersRunOncePerChannelInFrontOfTheStreamAdapter(Transport transport) {
    AtomicInteger customized = new AtomicInteger();
    List<List<String>> pipelines = new CopyOnWriteArrayList<>();
    ServerOptions options = ServerOptions.builder().pipeline(p -> {
      customized.incrementAndGet();
      p.addLast("log", new LoggingHandler(PipelineCustomizerTest.class, LogLevel.DEBUG));
      p.addLast("idle", new IdleStateHandler(0, 0, 300, TimeUnit.MILLISECONDS));
      p.addLast("close-when-idle", new CloseWhenIdle());
      p.addLast("upper", new UpperCase());
    }).build();
    try (TestLoop t = TestLoop.create(transport)) {
      Server server = t.run(() -> Streams.startServer((reader, writer) -> {
        pipelines.add(writer.channel().pipeline().names());
        return Echo.echo(reader, writer);
      }, "127.0.0.1", 0, options));

      Connection talker = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
      talker.writer().write("shout this\n", US_ASCII);
      assertThat(new String(talker.reader().readLine().join(WAIT), US_ASCII)).isEqualTo("SHOUT THIS\n");

      // IdleStateHandler: a silent connection is closed by the user's handler after 300 ms.
      Connection silent = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
      long start = System.nanoTime();
      assertThat(silent.reader().read(10).join(WAIT)).isEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));

      assertThat(customized).hasValue(2);
      assertThat(pipelines).allSatisfy(names -> assertThat(names)
          .containsSubsequence("log", "idle", "close-when-idle", "upper", StreamAdapter.NAME));
      talker.writer().close();
      silent.writer().close();
      server.shutdown(WAIT).join(WAIT);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void clientHandlersSeeTheBytesBeforeTheReader(Transport transport) {
    try (TestLoop t = TestLoop.create(transport)) {
      Server server = t.run(() -> Streams.startServer(Echo::echo, "127.0.0.1", 0));
      ClientOptions options = ClientOptions.builder()
          .pipeline(p -> p.addLast(new LoggingHandler(LogLevel.DEBUG), new UpperCase()))
          .connectTimeout(Duration.ofSeconds(5))
          .build();
      Connection c = t.run(() -> Streams.openConnection("127.0.0.1", server.port(), options));
      c.writer().write("quiet words\n", US_ASCII);
      assertThat(c.reader().readLine(US_ASCII).join(WAIT)).isEqualTo("QUIET WORDS");
      c.writer().close();
      server.shutdown(WAIT).join(WAIT);
    }
  }
}
