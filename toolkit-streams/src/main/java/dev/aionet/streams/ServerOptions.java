package dev.aionet.streams;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;
import io.netty.resolver.AddressResolverGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * How {@link Streams#startServer} listens and sets up each connection.
 *
 * <pre>{@code
 * ServerOptions options = ServerOptions.builder()
 *     .limit(8192)
 *     .pipeline(p -> p.addLast(new LoggingHandler()))
 *     .build();
 * }</pre>
 *
 * @since 0.1
 */
public final class ServerOptions {
  /** The default number of decoded messages queued per connection before reading pauses. */
  static final int DEFAULT_MESSAGE_LIMIT = 64;

  /** asyncio's default stream limit, 64 KiB. */
  public static final int DEFAULT_LIMIT = 1 << 16;
  /** How long a closing connection reads and discards its input by default, 2 s. */
  public static final Duration DEFAULT_LINGER_TIMEOUT = Duration.ofSeconds(2);

  private static final ServerOptions DEFAULTS = builder().build();

  private final int limit;
  private final int messageLimit;
  private final Integer backlog;
  private final boolean reusePort;
  private final Consumer<ChannelPipeline> pipeline;
  private final int lowWaterMark;
  private final int highWaterMark;
  private final SslContext ssl;
  private final AddressResolverGroup<InetSocketAddress> resolver;
  private final Duration sslHandshakeTimeout;
  private final int maxConnections;
  private final Duration idleTimeout;
  private final Duration readTimeout;
  private final Duration lingerTimeout;
  private final boolean proxyProtocol;

  private ServerOptions(Builder b) {
    this.lingerTimeout = b.lingerTimeout;
    this.proxyProtocol = b.proxyProtocol;
    this.ssl = b.ssl;
    this.resolver = b.resolver;
    this.sslHandshakeTimeout = b.sslHandshakeTimeout;
    this.maxConnections = b.maxConnections;
    this.idleTimeout = b.idleTimeout;
    this.readTimeout = b.readTimeout;
    this.limit = b.limit;
    this.messageLimit = b.messageLimit;
    this.backlog = b.backlog;
    this.reusePort = b.reusePort;
    this.pipeline = b.pipeline;
    this.lowWaterMark = b.low;
    this.highWaterMark = b.high;
  }

  /**
   * Returns a builder with the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the defaults.
   *
   * @return options with every default
   */
  public static ServerOptions defaults() {
    return DEFAULTS;
  }

  /** {@return each connection's reader limit} */
  public int limit() {
    return limit;
  }

  /**
   * How many decoded messages a {@link Messages} connection queues before it stops reading.
   *
   * @return the message limit
   * @since 0.2
   */
  public int messageLimit() {
    return messageLimit;
  }

  /** {@return the listen backlog, or empty for the OS's SOMAXCONN} */
  public OptionalInt backlog() {
    return backlog == null ? OptionalInt.empty() : OptionalInt.of(backlog);
  }

  /** {@return whether SO_REUSEPORT is set on the listener} */
  public boolean reusePort() {
    return reusePort;
  }

  /** {@return the customizer run on each connection's pipeline (a no-op by default)} */
  public Consumer<ChannelPipeline> pipeline() {
    return pipeline;
  }

  /** {@return the write buffer's low-water mark in bytes} */
  public int lowWaterMark() {
    return lowWaterMark;
  }

  /** {@return the write buffer's high-water mark in bytes} */
  public int highWaterMark() {
    return highWaterMark;
  }

  /** {@return the server's TLS context, or empty for plain TCP} */
  public Optional<SslContext> ssl() {
    return Optional.ofNullable(ssl);
  }

  /** {@return how long a TLS handshake may take (default 10 s, Netty's)} */
  public Duration sslHandshakeTimeout() {
    return sslHandshakeTimeout;
  }

  /** {@return the most connections open at once, or 0 for no limit} */
  public int maxConnections() {
    return maxConnections;
  }

  /** {@return how long a connection may pass no bytes either way, or empty for no limit} */
  public Optional<Duration> idleTimeout() {
    return Optional.ofNullable(idleTimeout);
  }

  /** {@return how long a connection may receive no bytes, or empty for no limit} */
  public Optional<Duration> readTimeout() {
    return Optional.ofNullable(readTimeout);
  }

  /** @return how long closing a connection keeps reading and discarding its input; zero: not at all */
  public Duration lingerTimeout() {
    return lingerTimeout;
  }

  /** @return whether every connection must start with a PROXY protocol header (v1 or v2) */
  public boolean proxyProtocol() {
    return proxyProtocol;
  }

  /**
   * Returns the resolver of host names, or empty for the default: Netty's asynchronous DNS
   * resolver, which never blocks a loop thread and reads {@code /etc/hosts} and the system's DNS
   * configuration.
   *
   * @return the resolver group, or empty
   * @since 0.2
   */
  public Optional<AddressResolverGroup<InetSocketAddress>> resolver() {
    return Optional.ofNullable(resolver);
  }

  /** Builds {@link ServerOptions}; not thread-safe. */
  public static final class Builder {
    private int limit = DEFAULT_LIMIT;
    private int messageLimit = DEFAULT_MESSAGE_LIMIT;
    private Integer backlog;
    private boolean reusePort;
    private Consumer<ChannelPipeline> pipeline = p -> { };
    private int low = 32 * 1024;
    private int high = 64 * 1024;
    private SslContext ssl;
    private AddressResolverGroup<InetSocketAddress> resolver;
    private Duration sslHandshakeTimeout = Duration.ofSeconds(10);
    private int maxConnections;
    private Duration idleTimeout;
    private Duration readTimeout;
    private Duration lingerTimeout = DEFAULT_LINGER_TIMEOUT;
    private boolean proxyProtocol;

    private Builder() {}

    /**
     * Sets how long closing a connection whose input is not at EOF may read and discard that
     * input (default 2 s; {@link Duration#ZERO} turns lingering off). Closing a socket with unread
     * input, or one that receives input after it closed, makes the kernel send a reset, and the
     * reset makes the peer's kernel drop what it had received and not yet handed to its
     * application. So {@link StreamWriter#close()}, {@link Server#closeClients()} and the close
     * after a handler ends flush, half-close the output (TLS sends its {@code close_notify}
     * first), then read and discard until the peer's EOF or this timeout, and only then close
     * (nginx's {@code lingering_close}). A peer that never closes costs at most this long.
     *
     * @param timeout the timeout, zero or positive
     * @return this builder
     */
    public Builder lingerTimeout(Duration timeout) {
      this.lingerTimeout = checkLinger(timeout);
      return this;
    }

    /**
     * Requires the PROXY protocol (HAProxy's, versions 1 and 2) before any byte of each
     * connection, for a server behind a load balancer that speaks it: Netty's {@code
     * HAProxyMessageDecoder} comes first in every pipeline, before the {@code SslHandler}, and the
     * handler starts only once the header arrived. Then {@code getExtraInfo("peername")} is the
     * client the proxy reported and {@code getExtraInfo("proxy_peername")} the proxy's own
     * address; a v2 {@code LOCAL} header (the proxy's own health check) or a v1 {@code UNKNOWN}
     * one reports no client, and both names give the proxy. A connection whose first bytes are
     * not a valid header is closed, and the error goes to the loop's exception handler; the
     * server keeps serving. The header must arrive within {@link #sslHandshakeTimeout} (default
     * 10 s), else the connection is closed and reported the same way; a connection closed before
     * sending anything (a load balancer's TCP health check) is not an error. Off by default: with it on, a client that connects
     * directly is refused, since anyone could claim any address in a header of their own.
     *
     * @param on true to require the header
     * @return this builder
     */
    public Builder proxyProtocol(boolean on) {
      this.proxyProtocol = on;
      return this;
    }

    /**
     * Serves TLS: each connection gets Netty's {@code SslHandler} first in its pipeline, and the
     * handler starts only after the handshake succeeded. A failed or timed-out handshake closes
     * the connection and goes to the loop's exception handler; the handler never runs.
     *
     * @param context a server {@code SslContext}
     * @return this builder
     */
    public Builder ssl(SslContext context) {
      Objects.requireNonNull(context, "context");
      if (context.isClient()) {
        throw new IllegalArgumentException("a server needs a server SslContext, got a client one");
      }
      this.ssl = context;
      return this;
    }

    /**
     * Sets how long a TLS handshake may take before the connection is closed (default 10 s,
     * Netty's; asyncio's is 60 s). A negative duration counts as zero. With {@link
     * #proxyProtocol} it also bounds the wait for the PROXY header.
     *
     * @param timeout the timeout
     * @return this builder
     */
    public Builder sslHandshakeTimeout(Duration timeout) {
      this.sslHandshakeTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Limits the connections open at once (off by default): an accepted connection beyond the
     * limit is closed at once, before any handler runs, and counted; the server keeps serving.
     *
     * @param max the limit, positive
     * @return this builder
     */
    public Builder maxConnections(int max) {
      if (max <= 0) {
        throw new IllegalArgumentException("maxConnections <= 0: " + max);
      }
      this.maxConnections = max;
      return this;
    }

    /**
     * Closes a connection that passes no bytes either way for {@code timeout} (off by default):
     * its reads then fail with {@link ConnectionResetException} whose cause is an
     * {@code AsyncTimeoutException}, and the timeout goes to the loop's exception handler once
     * (the default handler logs one WARN line). A peer that trickles a byte just
     * inside the timeout keeps the connection; a per-request deadline ({@code Aio.timeout} around
     * the read) stops that.
     *
     * @param timeout the timeout, positive
     * @return this builder
     */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = checkPositive(timeout, "idleTimeout");
      return this;
    }

    /**
     * Closes a connection that receives no bytes for {@code timeout} (off by default), as
     * {@link #idleTimeout(Duration)} but counting only what the peer sends.
     *
     * @param timeout the timeout, positive
     * @return this builder
     */
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = checkPositive(timeout, "readTimeout");
      return this;
    }

    /**
     * Sets how many decoded messages a {@link Messages} connection queues before it stops reading
     * from the socket (default 64); reading resumes at half of it. A decoder may overshoot by the
     * messages of one socket read.
     *
     * @param messageLimit messages, positive
     * @return this builder
     * @throws IllegalArgumentException if {@code messageLimit <= 0}
     * @since 0.2
     */
    public Builder messageLimit(int messageLimit) {
      if (messageLimit <= 0) {
        throw new IllegalArgumentException("messageLimit must be positive: " + messageLimit);
      }
      this.messageLimit = messageLimit;
      return this;
    }

    /**
     * Sets each connection's reader limit (asyncio's {@code limit}, default 64 KiB).
     *
     * @param limit bytes, positive
     * @return this builder
     * @throws IllegalArgumentException if {@code limit <= 0}
     */
    public Builder limit(int limit) {
      this.limit = checkLimit(limit);
      return this;
    }

    /**
     * Sets the listen backlog (default: the OS's SOMAXCONN).
     *
     * @param backlog pending connections, positive
     * @return this builder
     */
    public Builder backlog(int backlog) {
      if (backlog <= 0) {
        throw new IllegalArgumentException("backlog <= 0: " + backlog);
      }
      this.backlog = backlog;
      return this;
    }

    /**
     * Sets SO_REUSEPORT on the listener, so several processes can share the port.
     *
     * @param on whether to set it
     * @return this builder
     */
    public Builder reusePort(boolean on) {
      this.reusePort = on;
      return this;
    }

    /**
     * Sets code that adds the user's handlers to each connection's pipeline; it runs once per
     * channel, before aionet adds its own handlers, so {@code addLast} lands in front of the
     * stream adapter and handlers need not be {@code @Sharable}. In front of the byte streams
     * ({@link Streams}) the handlers must pass bytes ({@code ByteBuf}) on: anything else fails the
     * reader with {@link UnexpectedMessageException} and closes the connection. To read decoded
     * messages, give the decoder to {@link Messages} as a {@link Codec} instead.
     *
     * @param customizer the code
     * @return this builder
     */
    public Builder pipeline(Consumer<ChannelPipeline> customizer) {
      this.pipeline = Objects.requireNonNull(customizer, "customizer");
      return this;
    }

    /**
     * Sets the write buffer's water marks (default Netty's 32 KiB / 64 KiB):
     * {@link StreamWriter#drain()} waits above {@code high} until the buffer falls below {@code low}.
     *
     * @param low the low-water mark
     * @param high the high-water mark
     * @return this builder
     * @throws IllegalArgumentException unless {@code 0 <= low <= high}
     */
    public Builder writeBufferWaterMark(int low, int high) {
      checkWaterMarks(low, high);
      this.low = low;
      this.high = high;
      return this;
    }

    /**
     * Resolves host names with {@code resolver} instead of the default (Netty's asynchronous DNS
     * resolver over {@code /etc/hosts} and the system's DNS servers). The resolver must not
     * block: it is asked on a loop thread and answers through its future, as Netty's
     * {@code DnsAddressResolverGroup} does. The first address it gives for the host to listen on is used; an
     * IP address literal is used as it is, without asking.
     *
     * @param resolver the resolver group, e.g. a {@code DnsAddressResolverGroup} with other DNS servers
     * @return this builder
     * @since 0.2
     */
    public Builder resolver(AddressResolverGroup<InetSocketAddress> resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the options
     */
    public ServerOptions build() {
      return new ServerOptions(this);
    }
  }

  static int checkLimit(int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("Limit cannot be <= 0: " + limit);
    }
    return limit;
  }

  static Duration checkLinger(Duration d) {
    Objects.requireNonNull(d, "lingerTimeout");
    if (d.isNegative()) {
      throw new IllegalArgumentException("lingerTimeout must not be negative: " + d);
    }
    return d;
  }

  static Duration checkPositive(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive: " + d);
    }
    return d;
  }

  static void checkWaterMarks(int low, int high) {
    if (low < 0 || high < low) {
      throw new IllegalArgumentException("high (" + high + ") must be >= low (" + low + ") must be >= 0");
    }
  }
}
