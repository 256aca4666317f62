package dev.aionet.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.ReferenceCountUtil;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load generator: one Netty UDP socket on its own thread keeps {@code window} datagrams of
 * one size in flight to an echo server (each echo sends the next one), and tops the window up
 * when echoes stop for 20 ms (a datagram the kernel dropped). It measures echoes per second and
 * the server thread's CPU time per echo.
 */
final class UdpEchoLoad implements AutoCloseable {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final EventLoopGroup group;
  private final Channel channel;
  private final Pump pump = new Pump();

  UdpEchoLoad(NettyTransport transport) {
    group = transport.newGroup(1, "udp-load");
    channel = new Bootstrap().group(group)
        .channelFactory(() -> transport == NettyTransport.EPOLL
            ? new EpollDatagramChannel(SocketProtocolFamily.INET) : new NioDatagramChannel(SocketProtocolFamily.INET))
        .handler(pump)
        .bind("127.0.0.1", 0).syncUninterruptibly().channel();
  }

  /** The id of the thread running {@code loop}. */
  static long threadIdOf(EventLoop loop) {
    try {
      return loop.submit(() -> Thread.currentThread().getId()).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot reach " + loop, e);
    }
  }

  /** One measurement: echoes per second, and server CPU nanoseconds per echo. */
  record Result(double perSecond, double cpuNanosPerEcho) {}

  /** Echoes {@code size}-byte datagrams through {@code target}: {@code warmup} s, then {@code seconds} s measured. */
  Result run(UdpEchoTarget target, int size, int window, double warmup, double seconds) throws InterruptedException {
    ByteBuf payload = Unpooled.directBuffer(size).writeZero(size);
    try {
      InetSocketAddress server = new InetSocketAddress("127.0.0.1", target.port());
      channel.eventLoop().submit(() -> pump.start(server, payload, window)).syncUninterruptibly();
      Thread.sleep((long) (warmup * 1000)); // a benchmark's warm-up, not a wait for a condition
      long echoes0 = pump.echoes.get();
      long cpu0 = THREADS.getThreadCpuTime(target.threadId());
      long t0 = System.nanoTime();
      Thread.sleep((long) (seconds * 1000));
      long echoes1 = pump.echoes.get();
      long cpu1 = THREADS.getThreadCpuTime(target.threadId());
      long t1 = System.nanoTime();
      channel.eventLoop().submit(pump::stop).syncUninterruptibly();
      long echoes = echoes1 - echoes0;
      return new Result(echoes / ((t1 - t0) / 1e9), echoes == 0 ? Double.NaN : (cpu1 - cpu0) / (double) echoes);
    } finally {
      Thread.sleep(100); // let late echoes arrive and be released before the payload goes
      payload.release();
    }
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Sends the next datagram for each echo; all state on the load thread. */
  private static final class Pump extends ChannelInboundHandlerAdapter {
    final AtomicLong echoes = new AtomicLong();
    private ChannelHandlerContext ctx;
    private InetSocketAddress server;
    private ByteBuf payload;
    private int window;
    private boolean running;
    private long echoesAtLastCheck;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      this.ctx = ctx;
    }

    void start(InetSocketAddress server, ByteBuf payload, int window) {
      this.server = server;
      this.payload = payload;
      this.window = window;
      running = true;
      topUp();
      ctx.executor().schedule(this::watch, 20, TimeUnit.MILLISECONDS);
    }

    void stop() {
      running = false;
    }

    private void topUp() {
      for (int i = 0; i < window; i++) {
        send();
      }
      ctx.flush();
    }

    private void send() {
      ctx.write(new DatagramPacket(payload.retainedDuplicate(), server), ctx.voidPromise());
    }

    /** Echoes stalled for 20 ms: datagrams were lost, so the window is refilled. */
    private void watch() {
      if (!running) {
        return;
      }
      long now = echoes.get();
      if (now == echoesAtLastCheck) {
        topUp();
      }
      echoesAtLastCheck = now;
      ctx.executor().schedule(this::watch, 20, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
      echoes.incrementAndGet();
      if (running) {
        send();
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }
  }
}
