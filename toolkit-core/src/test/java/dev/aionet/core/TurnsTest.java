package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns: a callback that reschedules itself forever must not starve timers or
 * socket reads. The bound asserted is generous (machines here are shared); the measured worst
 * delay is logged.
 */
@Timeout(60)
class TurnsTest {
  private static final Logger log = LoggerFactory.getLogger(TurnsTest.class);
  /**
   * Starvation would show as delays near Netty's task quantum (1 s), on every sample; scheduling
   * noise on a shared machine shows as a few slow samples. So the median must be a few
   * milliseconds and the worst well under the quantum.
   */
  private static final Duration TYPICAL = Duration.ofMillis(10);
  private static final Duration WORST = Duration.ofMillis(300);

  private Loop loop;
  private final AtomicBoolean spinning = new AtomicBoolean(true);
  private final AtomicLong spins = new AtomicLong();

  @BeforeEach
  void startASelfReschedulingCallback() {
    loop = Loop.create();
    loop.callSoon(new Runnable() {
      @Override
      public void run() {
        spins.incrementAndGet();
        if (spinning.get()) {
          loop.callSoon(this);
        }
      }
    });
  }

  @AfterEach
  void stop() {
    spinning.set(false);
    loop.close();
  }

  @Test
  void aSelfReschedulingCallbackDoesNotDelayAOneMillisecondTimer() {
    long[] lateness = new long[50];
    for (int i = 0; i < lateness.length; i++) {
      long start = System.nanoTime();
      CompletablePromise<Long> fired = loop.newPromise();
      loop.callLater(Duration.ofMillis(1), () -> fired.complete(System.nanoTime()));
      lateness[i] = fired.join(Duration.ofSeconds(5)) - start - TimeUnit.MILLISECONDS.toNanos(1);
    }
    java.util.Arrays.sort(lateness);
    log.info("1 ms timer beside a self-rescheduling callback: lateness median {} us, worst {} us ({} spins)",
        lateness[lateness.length / 2] / 1000, lateness[lateness.length - 1] / 1000, spins.get());
    assertThat(spins.get()).isGreaterThan(50); // the callback really kept running
    assertThat(Duration.ofNanos(lateness[lateness.length / 2])).isLessThan(TYPICAL);
    assertThat(Duration.ofNanos(lateness[lateness.length - 1])).isLessThan(WORST);
  }

  @Test
  void aSelfReschedulingCallbackDoesNotDelayASocketRead() throws Exception {
    LinkedBlockingQueue<Long> reads = new LinkedBlockingQueue<>();
    Class<? extends ServerChannel> serverClass = loop.transport() == Transport.EPOLL
        ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    Channel server = new ServerBootstrap().group(loop.group()).channel(serverClass)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ((ByteBuf) msg).release();
                reads.add(System.nanoTime());
              }
            });
          }
        }).bind("127.0.0.1", 0).sync().channel();
    try (Socket client = new Socket()) {
      client.connect(new InetSocketAddress("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort()));
      client.setTcpNoDelay(true);
      OutputStream out = client.getOutputStream();
      out.write(0); // warm up: the accept and the first read are not what is measured
      out.flush();
      assertThat(reads.poll(5, TimeUnit.SECONDS)).isNotNull();
      long[] delay = new long[50];
      for (int i = 0; i < delay.length; i++) {
        long sent = System.nanoTime();
        out.write(i);
        out.flush();
        Long read = reads.poll(5, TimeUnit.SECONDS);
        assertThat(read).as("read %d arrived", i).isNotNull();
        delay[i] = read - sent;
      }
      java.util.Arrays.sort(delay);
      log.info("socket read beside a self-rescheduling callback: delay median {} us, worst {} us",
          delay[delay.length / 2] / 1000, delay[delay.length - 1] / 1000);
      assertThat(Duration.ofNanos(delay[delay.length / 2])).isLessThan(TYPICAL);
      assertThat(Duration.ofNanos(delay[delay.length - 1])).isLessThan(WORST);
    } finally {
      server.close().sync();
    }
  }

  @Test
  void workQueuedDuringATurnRunsOnTheNextTurn() {
    java.util.List<String> order = new java.util.ArrayList<>();
    loop.runUntilComplete(() -> {
      Loop l = Loop.current();
      l.callSoon(() -> {
        order.add("a");
        l.callSoon(() -> order.add("c (queued by a)"));
      });
      l.callSoon(() -> order.add("b"));
      return Aio.sleep(Duration.ofMillis(10));
    });
    assertThat(order).containsExactly("a", "b", "c (queued by a)");
  }
}
