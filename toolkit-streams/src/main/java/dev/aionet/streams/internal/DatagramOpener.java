package dev.aionet.streams.internal;

import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import dev.aionet.core.internal.LeafPromise;
import dev.aionet.core.internal.LoopThread;
import dev.aionet.streams.DatagramEndpoint;
import dev.aionet.streams.DatagramOptions;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.SocketProtocolFamily;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * {@code Datagrams.bind/connect}: resolves the host, then opens a UDP channel of the address's
 * family on the caller's own loop thread, with a receive buffer that fits the largest datagram.
 */
public final class DatagramOpener {
  /**
   * Datagrams read per read burst, as Netty's datagram channels do by default: setting our own
   * receive allocator would otherwise leave it at 1, one wake-up (and one flush of the replies)
   * per datagram.
   */
  private static final int READS_PER_BURST = 16;

  /**
   * Whether epoll reads datagrams with recvmmsg (the default); {@code -Daionet.datagram.recvmmsg=false}
   * reads each with its own recvmsg, for comparison.
   */
  private static boolean recvmmsg() {
    return !"false".equalsIgnoreCase(System.getProperty("aionet.datagram.recvmmsg"));
  }

  private DatagramOpener() {}

  /**
   * Opens an endpoint bound to {@code host:port} on the calling loop thread.
   *
   * @param host the local address
   * @param port the local port, 0 for any
   * @param options the options
   * @return a promise of the endpoint
   * @throws IllegalStateException {@code "no running event loop"} off every loop thread
   */
  public static Promise<DatagramEndpoint> bind(String host, int port, DatagramOptions options) {
    return open(host, port, options, false);
  }

  /**
   * Opens an endpoint connected to {@code host:port} on the calling loop thread.
   *
   * @param host the remote address
   * @param port the remote port
   * @param options the options
   * @return a promise of the endpoint
   * @throws IllegalStateException {@code "no running event loop"} off every loop thread
   */
  public static Promise<DatagramEndpoint> connect(String host, int port, DatagramOptions options) {
    return open(host, port, options, true);
  }

  private static Promise<DatagramEndpoint> open(String host, int port, DatagramOptions options, boolean connect) {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(options, "options");
    TransportChannels.checkPort(port);
    LoopThread loop = LoopThread.require();
    // The endpoint stays on the caller's thread, so its code never races with the caller's.
    EventLoop eventLoop = loop.executor() instanceof EventLoop ? (EventLoop) loop.executor() : loop.loop().group().next();
    LeafPromise<DatagramEndpoint> opened = new LeafPromise<>(loop);
    // A name is looked up without blocking the loop thread, as for TCP connections; a literal
    // settles at once.
    Promise<InetSocketAddress> resolved =
        NameResolution.resolve(loop, NameResolution.groupFor(options.resolver(), loop.loop().transport()), host, port);
    opened.onCancel(resolved::cancel);
    resolved.addDoneCallback(r -> {
      if (r.isCancelled() || opened.isDone()) {
        return;
      }
      if (r.isFailed()) {
        opened.fail(r.exception());
      } else {
        start(opened, loop, eventLoop, r.result(), options, connect);
      }
    });
    return opened;
  }

  /**
   * Sets how the channel reads datagrams of up to {@code buffer} bytes: on epoll up to
   * READS_PER_BURST with one recvmmsg call, into slots of one buffer (about 0.8 x the CPU per
   * datagram of one recvmsg each, as measured in BENCHMARKS.md); elsewhere one at a time, into
   * slices of a shared chunk.
   *
   * @return the slicing allocator, which the endpoint releases when it closes, or null
   */
  private static DatagramReceiveBuffers receiveBuffers(Bootstrap bootstrap, Transport transport, int buffer) {
    if (transport == Transport.EPOLL && recvmmsg()) {
      bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, buffer)
          .option(ChannelOption.RCVBUF_ALLOCATOR,
              new FixedRecvByteBufAllocator(buffer * READS_PER_BURST).maxMessagesPerRead(READS_PER_BURST));
      return null;
    }
    DatagramReceiveBuffers buffers = new DatagramReceiveBuffers(buffer, READS_PER_BURST);
    bootstrap.option(ChannelOption.RCVBUF_ALLOCATOR, buffers);
    return buffers;
  }

  private static void start(LeafPromise<DatagramEndpoint> opened, LoopThread loop, EventLoop eventLoop,
      InetSocketAddress address, DatagramOptions options, boolean connect) {
    SocketProtocolFamily family = address.getAddress() instanceof Inet6Address
        ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
    Transport transport = loop.loop().transport();
    // Room for one byte more than the largest datagram: a datagram that fills it was longer, and
    // is dropped rather than delivered cut short (Netty's default 2,048-byte buffer truncates
    // silently, netty#7372).
    int buffer = options.maxDatagramSize() + 1;
    DatagramEndpointImpl[] endpoint = new DatagramEndpointImpl[1];
    Bootstrap bootstrap = new Bootstrap();
    DatagramReceiveBuffers buffers = receiveBuffers(bootstrap, transport, buffer);
    bootstrap
        .group(eventLoop)
        .channelFactory(TransportChannels.datagram(transport, family))
        .option(ChannelOption.SO_BROADCAST, options.broadcast())
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            endpoint[0] = new DatagramEndpointImpl(ch, loop, options, connect ? address : null, buffers);
            ch.pipeline().addLast(DatagramEndpointImpl.NAME, endpoint[0]);
          }
        });
    if (options.reusePort()) {
      TransportChannels.reusePort(bootstrap, transport);
    }
    ChannelFuture f = connect ? bootstrap.connect(address) : bootstrap.bind(address);
    opened.onCancel(() -> {
      f.cancel(false);
      f.channel().close();
    });
    f.addListener(done -> {
      if (!done.isSuccess()) {
        f.channel().close();
        opened.fail(done.cause());
        return;
      }
      endpoint[0].opened();
      if (!opened.complete(endpoint[0])) {
        f.channel().close(); // cancelled meanwhile
      }
    });
  }
}
