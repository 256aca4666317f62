package dev.aionet.streams.internal;

import dev.aionet.core.Coroutine;
import dev.aionet.core.LoopError;
import dev.aionet.core.Promise;
import dev.aionet.core.Task;
import dev.aionet.core.TimerHandle;
import dev.aionet.core.Transport;
import dev.aionet.core.internal.LeafPromise;
import dev.aionet.core.internal.Listener;
import dev.aionet.core.internal.LoopThread;
import dev.aionet.core.internal.LoopCore;
import dev.aionet.core.internal.PromiseImpl;
import dev.aionet.core.internal.TaskImpl;
import dev.aionet.streams.ClientHandler;
import dev.aionet.streams.Codec;
import dev.aionet.streams.MessageHandler;
import dev.aionet.streams.Server;
import dev.aionet.streams.ServerOptions;
import dev.aionet.streams.ServerStats;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listening {@link Server}: a Netty {@code ServerBootstrap} on the loop's group, whose accepted
 * channels each get {@code [user handlers] -> [codec] -> ConnectionEnd} and a handler task pinned to their
 * own event loop.
 *
 * <p>Connections are counted on the listener's thread at accept time (a handler in front of
 * Netty's acceptor), so "listener closed and no connection left" cannot miss one accepted just
 * before close. State shared across the loop's threads is concurrent or guarded by {@code this}.
 *
 * <p>An idle connection costs the server one object, its {@link Connection}.
 */
public final class ServerImpl implements Server {
  private static final Logger log = LoggerFactory.getLogger(ServerImpl.class);
  /** Handler tasks are named "client-N", N the task's number, built only when asked for. */
  private static final TaskImpl.NamePrefix CLIENT_TASK_NAMES = new TaskImpl.NamePrefix("client-");

  /**
   * Netty's adaptive receive-buffer sizing with its defaults (16 reads per wake-up, as Netty sets
   * for stream channels), one instance for every connection: Netty's default makes one per
   * channel, and the sizing state lives in each channel's own handle anyway. 32 bytes less for
   * every idle connection.
   */
  private static final AdaptiveRecvByteBufAllocator RECEIVE_SIZES = new AdaptiveRecvByteBufAllocator();

  static {
    RECEIVE_SIZES.maxMessagesPerRead(16);
  }

  private final LoopCore core;
  private final LoopThread home;
  private final Served served;
  private final ServerOptions options;
  /** The accepted connections not yet gone, and the waiters of waitClosed(). */
  private final ConnectionRegistry connections = new ConnectionRegistry();
  private final AtomicInteger rejected = new AtomicInteger();
  /** Connections accepted; written on the listener's thread only. */
  private volatile long accepted;
  private final ServerTraffic traffic = new ServerTraffic();
  private volatile Channel listener;
  private volatile int port = -1;
  private boolean closed;
  private LeafPromise<Void> serving;
  private Promise<Void> shutdown;

  /** What the server's connections speak, and the user code that serves each. */
  private interface Served {
    Protocol<?> protocol();

    Promise<Void> serve(ConnectionEnd end) throws Exception;
  }

  /** A protocol and its handler, typed together. */
  private record Serving<C>(Protocol<C> protocol, Handler<C> handler) implements Served {
    @Override
    public Promise<Void> serve(ConnectionEnd end) throws Exception {
      return handler.handle(protocol.connection(end));
    }
  }

  /** User code that serves one connection of type {@code C}. */
  @FunctionalInterface
  private interface Handler<C> {
    Promise<Void> handle(C connection) throws Exception;
  }

  private ServerImpl(LoopThread home, Served served, ServerOptions options) {
    this.core = home.loop();
    this.home = home;
    this.served = served;
    this.options = options;
  }

  /**
   * Starts listening on {@code host:port} on the calling thread's loop.
   *
   * @param handler serves each connection
   * @param host the address to bind, or a host name (resolved without blocking the loop; the
   *     first address is bound)
   * @param port the port, 0 for any free one
   * @param options the options
   * @return a promise of the serving server, failing with the bind error ({@code
   *     java.net.UnknownHostException} naming the host when it has no address)
   * @throws IllegalStateException {@code "no running event loop"} off every loop thread
   */
  public static Promise<Server> start(ClientHandler handler, String host, int port, ServerOptions options) {
    return start(streams(handler, options), host, port, options);
  }

  /**
   * Starts a server of {@code codec}'s messages on {@code host:port} on the calling thread's loop.
   *
   * @param handler serves each connection
   * @param codec the connections' codec
   * @param host the address to bind
   * @param port the port, 0 for any free one
   * @param options the options
   * @param <I> the inbound message type
   * @param <O> the outbound message type
   * @return a promise of the serving server, failing with the bind error
   * @throws IllegalStateException {@code "no running event loop"} off every loop thread
   */
  public static <I, O> Promise<Server> startMessages(MessageHandler<I, O> handler, Codec<I, O> codec, String host,
      int port, ServerOptions options) {
    return start(messages(handler, codec, options), host, port, options);
  }

  /** {@link #startMessages} on a Unix socket file. */
  public static <I, O> Promise<Server> startMessagesUnix(MessageHandler<I, O> handler, Codec<I, O> codec,
      java.nio.file.Path path, ServerOptions options) {
    return startUnix(messages(handler, codec, options), path, options);
  }

  private static Served streams(ClientHandler handler, ServerOptions options) {
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(options, "options");
    return new Serving<>(Protocol.bytes(options.limit()), c -> handler.handle(c.reader(), c.writer()));
  }

  private static <I, O> Served messages(MessageHandler<I, O> handler, Codec<I, O> codec, ServerOptions options) {
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(codec, "codec");
    Objects.requireNonNull(options, "options");
    return new Serving<>(Protocol.messages(codec, options.messageLimit()), c -> handler.handle(c.reader(), c.writer()));
  }

  private static Promise<Server> start(Served served, String host, int port, ServerOptions options) {
    Objects.requireNonNull(host, "host");
    TransportChannels.checkPort(port);
    LoopThread home = LoopThread.require();
    Transport transport = home.loop().transport();
    return NameResolution.resolve(home, NameResolution.groupFor(options.resolver(), transport), host, port)
        .thenCompose(address -> start(home, served, address, TransportChannels.serverSocket(transport), null, options));
  }

  /**
   * Starts listening on the Unix socket file {@code path} on the calling thread's loop; the file
   * is removed when the server closes.
   *
   * @param handler serves each connection
   * @param path the socket file to create
   * @param options the options
   * @return a promise of the serving server, failing with the bind error
   * @throws IllegalStateException {@code "no running event loop"} off every loop thread
   */
  public static Promise<Server> startUnix(ClientHandler handler, java.nio.file.Path path, ServerOptions options) {
    return startUnix(streams(handler, options), path, options);
  }

  private static Promise<Server> startUnix(Served served, java.nio.file.Path path, ServerOptions options) {
    Objects.requireNonNull(path, "path");
    LoopThread home = LoopThread.require();
    Transport transport = home.loop().transport();
    return start(home, served, TransportChannels.domainAddress(transport, path),
        TransportChannels.serverDomainSocket(transport), path, options);
  }

  private static Promise<Server> start(LoopThread home, Served served, SocketAddress address,
      Class<? extends io.netty.channel.ServerChannel> channelClass, java.nio.file.Path unixPath,
      ServerOptions options) {
    ServerImpl server = new ServerImpl(home, served, options);
    LoopCore core = home.loop();
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(core.group())
        .channel(channelClass)
        .handler(server.new Tracker())
        .attr(ServerTraffic.KEY, server.traffic)
        .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .childOption(ChannelOption.RCVBUF_ALLOCATOR, RECEIVE_SIZES)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
            new WriteBufferWaterMark(options.lowWaterMark(), options.highWaterMark()))
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            server.serve(ch.pipeline().remove(Connection.class));
          }
        });
    options.backlog().ifPresent(backlog -> bootstrap.option(ChannelOption.SO_BACKLOG, backlog));
    if (unixPath == null) {
      bootstrap.option(ChannelOption.SO_REUSEADDR, true); // asyncio's default on POSIX
      bootstrap.childOption(ChannelOption.TCP_NODELAY, true); // asyncio sets TCP_NODELAY on every TCP transport
      if (options.reusePort()) {
        TransportChannels.reusePort(bootstrap, core.transport());
      }
    }
    LeafPromise<Server> started = new LeafPromise<>(home);
    io.netty.channel.ChannelFuture bind = bootstrap.bind(address);
    started.onCancel(() -> bind.channel().close());
    bind.addListener(f -> {
      if (!f.isSuccess()) {
        started.fail(f.cause());
        return;
      }
      Channel ch = bind.channel();
      server.listener = ch;
      server.port = ch.localAddress() instanceof InetSocketAddress ? ((InetSocketAddress) ch.localAddress()).getPort() : -1;
      ch.closeFuture().addListener(c -> {
        if (unixPath != null) {
          deleteSocketFile(unixPath);
        }
        server.connections.listenerClosed();
      });
      if (!started.complete(server)) {
        server.close();
      }
    });
    return started;
  }

  private static void deleteSocketFile(java.nio.file.Path path) {
    try {
      java.nio.file.Files.deleteIfExists(path);
    } catch (java.io.IOException e) {
      log.warn("could not remove the Unix socket file {}", path, e);
    }
  }

  /**
   * Counts each accepted channel on the listener's thread, before Netty registers it, and closes
   * it at once when {@code maxConnections} are already open.
   */
  private final class Tracker extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      Channel child = (Channel) msg;
      int max = options.maxConnections();
      if (max > 0 && connections.count() >= max) {
        int n = rejected.incrementAndGet();
        log.debug("{}: {} connections open, closing {} at once ({} rejected so far)", ServerImpl.this, max, child, n);
        child.unsafe().closeForcibly();
        return;
      }
      accepted++; // volatile, one writer: the listener's thread
      Connection connection = new Connection(child);
      connections.add(connection);
      child.closeFuture().addListener(connection);
      child.pipeline().addLast(connection); // carries it to serve(), which takes it out again
      ctx.fireChannelRead(msg);
    }
  }

  /**
   * One accepted connection, counted from accept until its channel is closed and its handler has
   * finished, so that waitClosed() also means "every handler has finished" when the peer closed
   * first. One object plays every per-connection part: a link in the server's list, the listener
   * of the channel's close, the carrier from accept to {@link #serve} (a pipeline entry until
   * then), the coroutine of the handler task and that task's done callback.
   */
  private final class Connection extends ConnectionRegistry.Entry
      implements ChannelFutureListener, Coroutine<Void>, Listener {
    /**
     * The channel from accept until {@link #serve} installs its adapter, then the adapter (whose
     * writer knows the channel): one field for both, since each field costs every idle
     * connection 4-8 bytes.
     */
    private volatile Object channelOrAdapter;
    /** Seen on the channel's thread: the channel has closed. */
    private boolean channelClosed;
    /** On the channel's thread: the handler task has started and not settled yet. */
    private boolean handlerRunning;

    Connection(Channel ch) {
      this.channelOrAdapter = ch;
    }

    @Override
    Channel channel() {
      Object c = channelOrAdapter;
      return c instanceof ConnectionEnd ? ((ConnectionEnd) c).writer().channel() : (Channel) c;
    }

    /** The connection's reader and writer, once {@link #serve} installed them. */
    ConnectionEnd adapter() {
      Object c = channelOrAdapter;
      return c instanceof ConnectionEnd ? (ConnectionEnd) c : null;
    }

    /** The channel closed: the connection goes now, or when its unfinished handler finishes. */
    @Override
    public void operationComplete(ChannelFuture closed) {
      channelClosed = true;
      if (!handlerRunning) {
        connections.remove(this);
      }
    }

    /** The handler task's coroutine. */
    @Override
    public Promise<Void> call() throws Exception {
      return served.serve(adapter());
    }

    /** The handler task settled: its done callback runs on a later turn, as addDoneCallback's. */
    @Override
    public void onSettled(PromiseImpl<?> task) {
      handlerRunning = false;
      @SuppressWarnings("unchecked")
      Promise<Void> settled = (Promise<Void>) task;
      core.contextOf(channel().eventLoop()).callSoonFromAnyThread(() -> handlerFinished(settled));
    }

    private void handlerFinished(Promise<Void> task) {
      try {
        ConnectionEnd adapter = adapter();
        handlerDone(task, adapter, adapter.writer().channel());
      } finally {
        if (channelClosed) {
          connections.remove(this);
        }
      }
    }

    @Override
    public String toString() {
      return "connection " + channel() + " of " + ServerImpl.this;
    }
  }

  /**
   * Sets up an accepted channel, {@code [PROXY header decoder] -> [SslHandler] -> user handlers ->
   * timeouts -> adapter},
   * and starts its handler task on the channel's own loop thread, after the
   * TLS handshake when there is one.
   */
  private void serve(Connection connection) {
    Channel ch = connection.channel();
    LoopThread loop = core.contextOf(ch.eventLoop());
    SslHandler ssl = options.ssl().map(context -> Tls.server(context, ch, options.sslHandshakeTimeout())).orElse(null);
    if (ssl != null) {
      Tls.addLast(ch.pipeline(), ssl);
    }
    options.pipeline().accept(ch.pipeline());
    served.protocol().installCodec(ch.pipeline());
    if (options.idleTimeout().isPresent() || options.readTimeout().isPresent()) {
      ch.pipeline().addLast(ProtectionTimeouts.NAME,
          new ProtectionTimeouts(options.readTimeout().orElse(null), options.idleTimeout().orElse(null)));
    }
    ConnectionEnd adapter = served.protocol().installEnd(ch, loop);
    adapter.writer().lingerOnClose(options.lingerTimeout());
    connection.channelOrAdapter = adapter;
    if (options.proxyProtocol()) {
      // first, before the SslHandler; without TLS the header is what the handler waits for
      ProxyHeader.install(ch, core, ssl == null ? () -> startHandler(loop, connection) : null,
          options.sslHandshakeTimeout());
    }
    if (ssl == null) {
      if (!options.proxyProtocol()) {
        startHandler(loop, connection);
      }
      return;
    }
    Tls.whenHandshaken(ssl, options.ssl().get(), adapter.writer(), () -> startHandler(loop, connection), cause -> {
      // A failed or timed-out handshake closes the connection; the handler never runs.
      core.reportError(new LoopError("SSL handshake failed", cause, Optional.empty(), Optional.of(ch)));
      adapter.writer().abort();
    });
  }

  private void startHandler(LoopThread loop, Connection connection) {
    connection.handlerRunning = true;
    TaskImpl.startNumbered(loop, connection, CLIENT_TASK_NAMES).addDoneListener(connection);
  }

  private void handlerDone(Promise<Void> task, ConnectionEnd adapter, Channel ch) {
    StreamWriterImpl writer = adapter.writer();
    if (task.isFailed() && !adapter.alreadyReported(task.exception())) {
      // asyncio: {'message': 'Unhandled exception in client_connected_cb', 'exception': exc, 'transport': t}
      core.reportError(new LoopError("Unhandled exception in client_connected_cb", task.exception(),
          Optional.of((Task<?>) task), Optional.of(ch)));
    }
    // A finished handler closes its connection (flush, then close); a cancelled one too.
    writer.close();
  }

  private LoopThread callerLoop() {
    LoopThread current = LoopThread.current();
    return current != null ? current : home;
  }

  @Override
  public List<SocketAddress> sockets() {
    Channel ch = listener;
    synchronized (this) {
      if (closed || ch == null) {
        return List.of();
      }
    }
    SocketAddress address = ch.localAddress();
    return address == null ? List.of() : List.of(address);
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public synchronized boolean isServing() {
    return !closed && listener != null && listener.isActive();
  }

  @Override
  public Promise<Void> serveForever() {
    LeafPromise<Void> forever;
    synchronized (this) {
      if (closed) {
        return Promise.failed(new IllegalStateException(this + " is closed"));
      }
      if (serving != null) {
        return Promise.failed(new IllegalStateException(this + " is already being awaited on serveForever()"));
      }
      forever = new LeafPromise<>(callerLoop());
      serving = forever;
    }
    forever.onCancel(this::close); // asyncio: cancelling serve_forever closes the server
    return forever;
  }

  @Override
  public void close() {
    LeafPromise<Void> forever;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      forever = serving;
    }
    Channel ch = listener;
    if (ch != null) {
      ch.close();
    }
    if (forever != null) {
      forever.complete(null);
    }
  }

  @Override
  public Promise<Void> waitClosed() {
    return connections.waitClosed(callerLoop());
  }

  @Override
  public Promise<Void> shutdown(Duration grace) {
    Objects.requireNonNull(grace, "grace");
    synchronized (this) {
      if (shutdown != null) {
        return shutdown;
      }
      shutdown = waitClosed();
    }
    close();
    AtomicReference<TimerHandle> timer = new AtomicReference<>();
    timer.set(home.callLater(grace, () -> {
      int open = connections.count();
      if (open == 0) {
        return;
      }
      log.debug("{}: {} connections still open after the {} grace period; closing them", this, open, grace);
      closeClients();
      timer.set(home.callLater(options.lingerTimeout(), () -> {
        int left = connections.count();
        if (left != 0) {
          log.debug("{}: {} connections still open after lingering {}; aborting them", this, left,
              options.lingerTimeout());
          abortClients();
        }
      }));
    }));
    shutdown.addDoneCallback(p -> timer.get().cancel());
    return shutdown;
  }

  /** Connections closed at once because {@code maxConnections} were open. */
  public int rejectedConnections() {
    return rejected.get();
  }

  @Override
  public int connectionCount() {
    return connections.count();
  }

  @Override
  public ServerStats stats() {
    return new ServerStats(connections.count(), accepted, rejected.get(), traffic.read.sum(), traffic.written.sum());
  }

  @Override
  public void closeClients() {
    forEachWriter(StreamWriterImpl::close);
  }

  @Override
  public void abortClients() {
    forEachWriter(StreamWriterImpl::abort);
  }

  /** Applies {@code action} to each open connection's writer; a channel without one just closes. */
  private void forEachWriter(java.util.function.Consumer<StreamWriterImpl> action) {
    for (Channel ch : connections.channels()) { // closing may unlink inline: act on a copy, outside the monitor
      ConnectionEnd adapter = ch.pipeline().get(ConnectionEnd.class);
      if (adapter != null) {
        action.accept(adapter.writer());
      } else {
        ch.close();
      }
    }
  }

  @Override
  public String toString() {
    return "Server[port " + port + ", " + connections.count() + " connections" + (closed ? ", closed" : "") + "]";
  }
}
