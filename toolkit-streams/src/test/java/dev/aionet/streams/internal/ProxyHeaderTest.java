package dev.aionet.streams.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.LoopError;
import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import dev.aionet.core.internal.LoopThread;
import dev.aionet.streams.TestLoop;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The PROXY protocol header handler on an {@link EmbeddedChannel} driven from a loop thread:
 * versions 1 and 2, TCP4, TCP6 and LOCAL, the reported and the proxy's address, bad headers, and
 * the decoded message released (the leak detector runs at PARANOID).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProxyHeaderTest {
  /** The 12-byte signature of a version 2 header. */
  private static final byte[] V2 = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

  private static void onLoop(TestLoop t, Callable<Void> body) {
    t.run(() -> Promise.completed(body.call()));
  }

  /** A version 2 PROXY (or LOCAL, {@code command} 0) header for the given addresses. */
  static byte[] v2(int command, String source, int sourcePort, String destination, int destinationPort) throws Exception {
    if (command == 0) {
      return ByteBuffer.allocate(16).put(V2).put((byte) 0x20).put((byte) 0x00).putShort((short) 0).array();
    }
    byte[] src = InetAddress.getByName(source).getAddress();
    byte[] dst = InetAddress.getByName(destination).getAddress();
    byte family = src.length == 4 ? (byte) 0x11 : (byte) 0x21;
    int length = 2 * src.length + 4;
    return ByteBuffer.allocate(16 + length).put(V2).put((byte) 0x21).put(family).putShort((short) length)
        .put(src).put(dst).putShort((short) sourcePort).putShort((short) destinationPort).array();
  }

  private static ByteBuf bytes(byte[] header, String then) {
    return Unpooled.wrappedBuffer(header, then.getBytes(US_ASCII));
  }

  /** A channel as the server builds it with the PROXY protocol on; counts handler starts. */
  private static final class Proxied {
    final EmbeddedChannel ch = new EmbeddedChannel();
    final StreamAdapter adapter = StreamAdapter.install(ch, LoopThread.require(), 1024);
    final AtomicInteger started = new AtomicInteger();

    Proxied() {
      ch.pipeline().addFirst("tls-stand-in", new ChannelInboundHandlerAdapter());
      ProxyHeader.install(ch, LoopThread.require().loop(), started::incrementAndGet, Duration.ofSeconds(10));
    }

    Object peer() {
      return adapter.writer().getExtraInfo("peername");
    }

    Object proxy() {
      return adapter.writer().getExtraInfo("proxy_peername");
    }

    String buffered() {
      return new String(adapter.reader().read(1024).result(), US_ASCII); // settled: bytes are buffered
    }

    void close() {
      adapter.writer().close();
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void theDecoderComesFirstBeforeTheTlsHandlerAndBothHeaderHandlersLeaveAfterTheHeader() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      onLoop(t, () -> {
        Proxied p = new Proxied();
        assertThat(p.ch.pipeline().names()).startsWith(ProxyHeader.DECODER_NAME, ProxyHeader.NAME, "tls-stand-in");
        p.ch.writeInbound(bytes("PROXY TCP4 203.0.113.7 192.0.2.1 51234 443\r\n".getBytes(US_ASCII), "hi"));
        assertThat(p.ch.pipeline().names()).startsWith("tls-stand-in").doesNotContain(ProxyHeader.NAME,
            ProxyHeader.DECODER_NAME);
        p.close();
        return null;
      });
    }
  }

  @Test
  void aVersion1Tcp4HeaderReportsTheClientAndKeepsTheBytesAfterIt() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      onLoop(t, () -> {
        Proxied p = new Proxied();
        assertThat(p.started).hasValue(0);
        p.ch.writeInbound(bytes("PROXY TCP4 203.0.113.7 192.0".getBytes(US_ASCII), ""));
        assertThat(p.started).as("half a header").hasValue(0);
        p.ch.writeInbound(bytes(".2.1 51234 443\r\n".getBytes(US_ASCII), "hello\n"));
        assertThat(p.started).hasValue(1);
        assertThat(p.peer()).isEqualTo(new InetSocketAddress("203.0.113.7", 51234));
        assertThat(p.proxy()).isEqualTo(p.ch.remoteAddress());
        assertThat(p.buffered()).isEqualTo("hello\n");
        p.close();
        return null;
      });
    }
  }

  @Test
  void aVersion1Tcp6HeaderReportsTheClient() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      onLoop(t, () -> {
        Proxied p = new Proxied();
        p.ch.writeInbound(bytes("PROXY TCP6 2001:db8::7 2001:db8::1 40000 8443\r\n".getBytes(US_ASCII), "x"));
        assertThat(p.peer()).isEqualTo(new InetSocketAddress("2001:db8::7", 40000));
        assertThat(p.buffered()).isEqualTo("x");
        p.close();
        return null;
      });
    }
  }

  @Test
  void version2Tcp4AndTcp6HeadersReportTheClient() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      onLoop(t, () -> {
        Proxied four = new Proxied();
        four.ch.writeInbound(bytes(v2(1, "198.51.100.9", 7000, "192.0.2.1", 443), "four"));
        assertThat(four.peer()).isEqualTo(new InetSocketAddress("198.51.100.9", 7000));
        assertThat(four.proxy()).isEqualTo(four.ch.remoteAddress());
        assertThat(four.buffered()).isEqualTo("four");
        four.close();
        Proxied six = new Proxied();
        six.ch.writeInbound(bytes(v2(1, "2001:db8::9", 7001, "2001:db8::1", 443), "six"));
        assertThat(six.peer()).isEqualTo(new InetSocketAddress("2001:db8::9", 7001));
        assertThat(six.buffered()).isEqualTo("six");
        assertThat(six.started).hasValue(1);
        six.close();
        return null;
      });
    }
  }

  @Test
  void aVersion2LocalHeaderReportsNoClientSoBothNamesAreTheProxy() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      onLoop(t, () -> {
        Proxied p = new Proxied();
        p.ch.writeInbound(bytes(v2(0, null, 0, null, 0), "ping"));
        assertThat(p.started).hasValue(1);
        assertThat(p.peer()).isEqualTo(p.ch.remoteAddress());
        assertThat(p.proxy()).isEqualTo(p.ch.remoteAddress());
        assertThat(p.buffered()).isEqualTo("ping");
        p.close();
        return null;
      });
    }
  }

  @Test
  void withoutAProxyHeaderProxyPeernameIsAbsent() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      onLoop(t, () -> {
        EmbeddedChannel ch = new EmbeddedChannel();
        StreamAdapter adapter = StreamAdapter.install(ch, LoopThread.require(), 1024);
        assertThat(adapter.writer().getExtraInfo("proxy_peername")).isNull();
        assertThat(adapter.writer().getExtraInfo("peername")).isEqualTo(ch.remoteAddress());
        adapter.writer().close();
        ch.finishAndReleaseAll();
        return null;
      });
    }
  }

  @Test
  void garbageInsteadOfAHeaderClosesTheConnectionAndIsReportedWithoutStartingTheHandler() throws Exception {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      t.expect(e -> e.exception() instanceof HAProxyProtocolException);
      onLoop(t, () -> {
        Proxied p = new Proxied();
        p.ch.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost: x\r\n\r\n", US_ASCII));
        assertThat(p.ch.isOpen()).isFalse();
        assertThat(p.started).hasValue(0);
        p.ch.finishAndReleaseAll();
        return null;
      });
      LoopError error = t.awaitErrors(1, Duration.ofSeconds(10)).get(0);
      assertThat(error.message()).startsWith("Invalid PROXY protocol header from");
      assertThat(error.channel()).isPresent();
    }
  }

  @Test
  void aHeaderThatDoesNotArriveInTimeClosesTheConnectionAndIsReported() throws Exception {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      t.expect(e -> e.exception() instanceof HAProxyProtocolException);
      onLoop(t, () -> {
        EmbeddedChannel ch = new EmbeddedChannel();
        StreamAdapter adapter = StreamAdapter.install(ch, LoopThread.require(), 1024);
        ProxyHeader.install(ch, LoopThread.require().loop(), () -> { }, Duration.ofMillis(1));
        ch.writeInbound(Unpooled.copiedBuffer("PROXY TCP4", US_ASCII));
        ch.advanceTimeBy(2, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        adapter.writer().close();
        ch.finishAndReleaseAll();
        return null;
      });
      assertThat(t.awaitErrors(1, Duration.ofSeconds(10)).get(0).message()).startsWith("No PROXY protocol header within");
    }
  }
}
