package dev.aionet.streams.internal;

import dev.aionet.core.Promise;
import dev.aionet.core.internal.LeafPromise;
import dev.aionet.core.internal.LoopThread;
import dev.aionet.core.internal.LoopCore;
import dev.aionet.streams.ClientOptions;
import dev.aionet.streams.Connection;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.util.Objects;

/** {@code openConnection}: a Netty {@code Bootstrap} on the caller's own loop thread. */
public final class Connector {
  private Connector() {}

  /**
   * Connects to {@code host:port} from the calling loop thread; the connection lives on it.
   *
   * @param host the host name or address
   * @param port the port
   * @param options the options
   * @return a promise of the connection, failing with the connect error ({@code
   *     java.net.UnknownHostException} naming the host when it has no address); cancelling it
   *     abandons the lookup or the attempt and closes the channel
   * @throws IllegalStateException {@code "no running event loop"} off every loop thread
   */
  public static Promise<Connection> open(String host, int port, ClientOptions options) {
    return open(Protocol.bytes(options.limit()), host, port, options);
  }

  /**
   * Connects to {@code host:port} and speaks {@code protocol} (a codec's messages, say).
   *
   * @param protocol what the connection speaks
   * @param host the host name or address
   * @param port the port
   * @param options the options
   * @param <C> what the caller gets
   * @return a promise of the connection, failing with the connect error
   * @throws IllegalStateException {@code "no running event loop"} off every loop thread
   */
  public static <C> Promise<C> open(Protocol<C> protocol, String host, int port, ClientOptions options) {
    Objects.requireNonNull(host, "host");
    TransportChannels.checkPort(port);
    Objects.requireNonNull(options, "options");
    LoopThread loop = LoopThread.require();
    dev.aionet.core.Transport transport = loop.loop().transport();
    // Resolved off the loop's blocking path (asyncio: getaddrinfo in an executor); TLS still
    // checks the name the caller gave, never a reverse lookup of the address.
    return NameResolution.resolve(loop, NameResolution.groupFor(options.resolver(), transport), host, port)
        .thenCompose(address -> open(loop, protocol, address, TransportChannels.socket(transport), host, port, options));
  }

  /**
   * Connects to the Unix socket file {@code path} from the calling loop thread.
   *
   * @param path the socket file
   * @param options the options ({@code localAddress} does not apply; TLS checks the name given
   *     by {@code serverHostname}, else "localhost")
   * @return a promise of the connection, failing with the connect error
   * @throws IllegalStateException {@code "no running event loop"} off every loop thread
   */
  public static Promise<Connection> openUnix(java.nio.file.Path path, ClientOptions options) {
    return openUnix(Protocol.bytes(options.limit()), path, options);
  }

  /** {@link #openUnix(java.nio.file.Path, ClientOptions)} speaking {@code protocol}. */
  public static <C> Promise<C> openUnix(Protocol<C> protocol, java.nio.file.Path path, ClientOptions options) {
    Objects.requireNonNull(path, "path");
    LoopThread loop = LoopThread.require();
    dev.aionet.core.Transport transport = loop.loop().transport();
    return open(loop, protocol, TransportChannels.domainAddress(transport, path),
        TransportChannels.domainSocket(transport), "localhost", -1, options);
  }

  private static <C> Promise<C> open(LoopThread loop, Protocol<C> protocol, java.net.SocketAddress remote,
      Class<? extends Channel> channelClass, String host, int port, ClientOptions options) {
    Objects.requireNonNull(options, "options");
    LoopCore core = loop.loop();
    // The connection stays on the caller's thread, so its code never races with the caller's.
    EventLoopGroup group = loop.executor() instanceof EventLoop ? (EventLoop) loop.executor() : core.group();
    Bootstrap bootstrap = new Bootstrap()
        .group(group)
        .channel(channelClass)
        .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            options.ssl().ifPresent(context -> Tls.addLast(ch.pipeline(),
                Tls.client(context, ch, options.serverHostname().orElse(host), port)));
            options.pipeline().accept(ch.pipeline());
            protocol.installCodec(ch.pipeline());
            protocol.installEnd(ch, core.contextOf(ch.eventLoop())).writer().lingerOnClose(options.lingerTimeout());
          }
        });
    if (remote instanceof InetSocketAddress) {
      bootstrap.option(ChannelOption.TCP_NODELAY, true); // asyncio sets TCP_NODELAY on every TCP transport
    }
    options.connectTimeout().ifPresent(timeout -> bootstrap.option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
        (int) Math.min(Integer.MAX_VALUE, Math.max(0, timeout.toMillis()))));
    ChannelFuture connect = options.localAddress()
        .filter(local -> remote instanceof InetSocketAddress)
        .map(local -> bootstrap.connect(remote, local))
        .orElseGet(() -> bootstrap.connect(remote));
    LeafPromise<C> connected = new LeafPromise<>(loop);
    connected.onCancel(() -> {
      connect.cancel(false);
      connect.channel().close();
    });
    connect.addListener(f -> {
      if (!f.isSuccess()) {
        connected.fail(f.cause());
        return;
      }
      Channel ch = connect.channel();
      ConnectionEnd adapter = ch.pipeline().get(ConnectionEnd.class);
      SslHandler ssl = ch.pipeline().get(SslHandler.class);
      if (ssl == null) {
        deliver(connected, protocol, adapter);
        return;
      }
      Tls.whenHandshaken(ssl, options.ssl().get(), adapter.writer(), () -> deliver(connected, protocol, adapter), cause -> {
        connected.fail(cause);
        adapter.writer().abort();
      });
    });
    return connected;
  }

  private static <C> void deliver(LeafPromise<C> connected, Protocol<C> protocol, ConnectionEnd adapter) {
    if (!connected.complete(protocol.connection(adapter))) {
      adapter.writer().abort(); // cancelled meanwhile
    }
  }
}
