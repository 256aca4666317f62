package dev.aionet.streams;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import dev.aionet.testing.CapturedLog;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.ssl.SslContextBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reads and writes made from another thread after the connection's loop closed: reads and
 * drains fail with {@code IllegalStateException("loop is closed")} instead of waiting forever,
 * every buffer handed to a write is released, and the loop logs one warning for all of it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClosedLoopIoTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private CapturedLog log;

  @BeforeEach
  void captureTheLoopLog() {
    log = CapturedLog.of("dev.aionet.core.internal.LoopThread");
  }

  @AfterEach
  void releaseTheLoopLog() {
    log.close();
  }

  /** The WARN lines {@code t}'s loop logged (its thread is named in each). */
  private List<String> warnings(TestLoop t) {
    return log.warnings(t.loop().group().iterator().next().toString());
  }

  /** A client connection of {@code t}'s loop to a server of the same loop, then the loop closed. */
  private static Connection connectionOfAClosedLoop(TestLoop t) {
    Server server = t.run(() -> Streams.startServer((reader, writer) -> reader.read(-1).thenApply(all -> null),
        "127.0.0.1", 0));
    Connection c = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
    t.loop().close();
    return c;
  }

  private static void assertLoopIsClosed(Promise<?> promise) {
    assertThatThrownBy(() -> promise.join(WAIT))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("loop is closed");
  }

  private static ByteBuf pooled(String text) {
    return PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(text.getBytes(US_ASCII));
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void readsAfterTheLoopClosedFailInsteadOfWaitingForever(Transport transport) {
    try (TestLoop t = TestLoop.create(transport)) {
      Connection c = connectionOfAClosedLoop(t);
      assertLoopIsClosed(c.reader().read(10));
      assertLoopIsClosed(c.reader().readLine());
      assertLoopIsClosed(c.reader().readBuf(10));
      assertThat(warnings(t)).singleElement().asString().contains("read() on StreamReader[");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aBufferWrittenAfterTheLoopClosedIsReleased(Transport transport) {
    try (TestLoop t = TestLoop.create(transport)) {
      Connection c = connectionOfAClosedLoop(t);
      ByteBuf data = pooled("late");
      c.writer().write(data);
      assertThat(data.refCnt()).isZero();
      assertThat(warnings(t)).singleElement().asString().contains("write of 4 bytes to StreamWriter[");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void textWrittenAfterTheLoopClosedIsReleased(Transport transport) {
    try (TestLoop t = TestLoop.create(transport)) {
      Connection c = connectionOfAClosedLoop(t);
      TrackingAllocator allocator = new TrackingAllocator();
      c.writer().channel().config().setAllocator(allocator); // the writer encodes text with it
      c.writer().write("late text", US_ASCII);
      c.writer().write("more".getBytes(US_ASCII));
      assertThat(allocator.buffers).isNotEmpty().allSatisfy(b -> assertThat(b.refCnt()).isZero());
      assertThat(warnings(t)).hasSize(1);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aDrainOrAStartTlsAfterTheLoopClosedFails(Transport transport) throws Exception {
    try (TestLoop t = TestLoop.create(transport)) {
      Connection c = connectionOfAClosedLoop(t);
      assertLoopIsClosed(c.writer().drain());
      assertLoopIsClosed(c.writer().startTls(SslContextBuilder.forClient().build()));
      c.writer().close(); // refused too: nothing left to settle, and no second warning
      assertThat(warnings(t)).singleElement().asString().contains("drain() on StreamWriter[");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aFloodOfWritesAfterTheLoopClosedIsReleasedWithOneWarning(Transport transport) {
    try (TestLoop t = TestLoop.create(transport)) {
      Connection c = connectionOfAClosedLoop(t);
      List<ByteBuf> written = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        ByteBuf data = pooled("chunk " + i);
        written.add(data);
        c.writer().write(data);
      }
      assertThat(written).allSatisfy(b -> assertThat(b.refCnt()).isZero());
      assertThat(warnings(t)).hasSize(1);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aMessageWrittenAfterTheLoopClosedIsReleasedAndAReadFails(Transport transport) {
    try (TestLoop t = TestLoop.create(transport)) {
      Codec<ByteBuf, ByteBuf> frames = Codec.lengthPrefixed(1024);
      Server server = t.run(() -> Messages.startServer((MessageReader<ByteBuf> reader, MessageWriter<ByteBuf> writer) ->
          reader.read().thenApply(m -> null), frames, "127.0.0.1", 0));
      MessageConnection<ByteBuf, ByteBuf> c = t.run(() -> Messages.openConnection(frames, "127.0.0.1", server.port()));
      t.loop().close();
      ByteBuf frame = pooled("late frame");
      c.writer().write(frame);
      assertThat(frame.refCnt()).isZero();
      assertLoopIsClosed(c.reader().read());
      assertLoopIsClosed(c.writer().drain());
      assertThat(warnings(t)).singleElement().asString().contains("write of 10 bytes");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aReceiveOrADrainOfADatagramEndpointAfterTheLoopClosedFails(Transport transport) {
    try (TestLoop t = TestLoop.create(transport)) {
      DatagramEndpoint endpoint = t.run(() -> Datagrams.bind("127.0.0.1", 0));
      t.loop().close();
      assertLoopIsClosed(endpoint.receive());
      assertLoopIsClosed(endpoint.drain());
      endpoint.send("dropped".getBytes(US_ASCII), endpoint.localAddress()); // the socket is closed: dropped
      assertThat(warnings(t)).singleElement().asString().contains("receive() on ");
    }
  }

  /** Unpooled buffers that stay listed, so a test can check each was released. */
  private static final class TrackingAllocator extends AbstractByteBufAllocator {
    final List<ByteBuf> buffers = new ArrayList<>();

    TrackingAllocator() {
      super(true);
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
      return track(UnpooledByteBufAllocator.DEFAULT.directBuffer(initialCapacity, maxCapacity));
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
      return track(UnpooledByteBufAllocator.DEFAULT.heapBuffer(initialCapacity, maxCapacity));
    }

    @Override
    public boolean isDirectBufferPooled() {
      return false;
    }

    private ByteBuf track(ByteBuf buf) {
      buffers.add(buf);
      return buf;
    }
  }
}
