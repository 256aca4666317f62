package dev.aionet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** EchoLoad against the raw Netty echo server, in-process on 127.0.0.1: a smoke test, never a speed test. */
@Timeout(60)
class EchoLoadTest {
  private static RawNettyEchoServer server;

  @BeforeAll
  static void startServer() {
    server = RawNettyEchoServer.start("127.0.0.1", 0, 1, "auto");
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private static String port() {
    return String.valueOf(server.port());
  }

  @Test
  void pingPongAgainstTheRawNettyServerEchoesEveryByteWithoutErrors() {
    // The server runs in this JVM: its CPU time is this process's.
    String pid = String.valueOf(ProcessHandle.current().pid());
    EchoReport report = EchoLoad.parse("--port", port(), "-c", "4", "-s", "1024", "-w", "0.3", "-d", "2",
        "--server-pid", pid).run();

    assertThat(report.errors()).as("errors: %s", report.errorMessages()).isZero();
    assertThat(report.requests()).isPositive();
    assertThat(report.bytes()).isEqualTo(report.requests() * 1024);
    assertThat(report.latencyNanos().getTotalCount()).isEqualTo(report.requests());
    assertThat(report.latencyMicros(99)).isPositive();
    assertThat(report.seconds()).isBetween(1.9, 10.0);
    assertThat(report.serverCpuSeconds()).isPositive();
    assertThat(report.serverCpuMicrosPerRequest()).isPositive();
    assertThat(report.toString()).contains("RESULT mode=pingpong connections=4 size=1024").contains("errors=0");
  }

  @Test
  void streamingKeepsBytesInFlightAndChecksThemAll() {
    EchoReport report = EchoLoad.parse("--port", port(), "--mode", "stream", "-c", "2", "-s", "4096",
        "--in-flight", "65536", "-w", "0.2", "-d", "1").run();

    assertThat(report.errors()).as("errors: %s", report.errorMessages()).isZero();
    assertThat(report.bytes()).isGreaterThan(65_536);
    assertThat(report.requests()).isBetween(report.bytes() / 4096 - 2, report.bytes() / 4096 + 2);
  }

  @Test
  void idleModeHoldsEveryConnectionAndSaysWhenTheyAreOpen() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    EchoReport report = EchoLoad.parse("--port", port(), "--mode", "idle", "-c", "200", "-s", "16", "-d", "0.5")
        .printingTo(new PrintStream(printed, true, StandardCharsets.UTF_8))
        .run();

    assertThat(report.errors()).as("errors: %s", report.errorMessages()).isZero();
    assertThat(report.requests()).isEqualTo(200);
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("READY idle connections=200");
  }

  @Test
  void aCorruptedEchoIsAnErrorAndTheExitCodeIsNonZero() throws Exception {
    // An echo server that flips one byte in every 5000: EchoLoad must notice.
    EventLoopGroup group = NettyTransport.NIO.newGroup(1, "corrupt-echo");
    try {
      Channel corrupt = new ServerBootstrap().group(group).channel(NettyTransport.NIO.serverChannel())
          .childHandler(new CorruptingEcho()).bind("127.0.0.1", 0).sync().channel();
      int corruptPort = ((InetSocketAddress) corrupt.localAddress()).getPort();
      ByteArrayOutputStream printed = new ByteArrayOutputStream();

      int exitCode = EchoLoad.parse("--port", String.valueOf(corruptPort), "-s", "1000", "-w", "0", "-d", "5")
          .printingTo(new PrintStream(printed, true, StandardCharsets.UTF_8))
          .call();

      assertThat(exitCode).isEqualTo(1);
      assertThat(printed.toString(StandardCharsets.UTF_8)).contains("connection 0, request 4, byte 999: expected").contains("errors=1");
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  @Test
  void aRefusedConnectionIsAnError() throws Exception {
    // A port that was free a moment ago: nothing listens there now.
    int freePort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      freePort = s.getLocalPort();
    }

    EchoReport report = EchoLoad.parse("--port", String.valueOf(freePort), "-w", "0", "-d", "1").run();

    assertThat(report.errors()).isPositive();
    assertThat(report.errorMessages().get(0)).contains("connect to 127.0.0.1:" + freePort + " failed");
  }

  /** Echoes, but flips the 5000th byte it has seen (the last byte of request 5 of 1000 bytes). */
  private static final class CorruptingEcho extends ChannelInboundHandlerAdapter {
    private final AtomicLong seen = new AtomicLong();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf in = (ByteBuf) msg;
      long before = seen.getAndAdd(in.readableBytes());
      long target = 4_999;
      if (before <= target && target < before + in.readableBytes()) {
        int index = in.readerIndex() + (int) (target - before);
        in.setByte(index, ~in.getByte(index));
      }
      ctx.writeAndFlush(in);
    }
  }
}
