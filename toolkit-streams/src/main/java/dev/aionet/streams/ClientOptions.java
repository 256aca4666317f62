package dev.aionet.streams;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;
import io.netty.resolver.AddressResolverGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How {@link Streams#openConnection} connects and sets up the connection.
 *
 * <pre>{@code
 * ClientOptions options = ClientOptions.builder()
 *     .connectTimeout(Duration.ofSeconds(2))
 *     .pipeline(p -> p.addLast(new LoggingHandler()))
 *     .build();
 * }</pre>
 *
 * @since 0.1
 */
public final class ClientOptions {
  private static final ClientOptions DEFAULTS = builder().build();

  private final int limit;
  private final int messageLimit;
  private final Duration connectTimeout;
  private final Consumer<ChannelPipeline> pipeline;
  private final InetSocketAddress localAddress;
  private final SslContext ssl;
  private final AddressResolverGroup<InetSocketAddress> resolver;
  private final String serverHostname;
  private final Duration lingerTimeout;

  private ClientOptions(Builder b) {
    this.lingerTimeout = b.lingerTimeout;
    this.ssl = b.ssl;
    this.resolver = b.resolver;
    this.serverHostname = b.serverHostname;
    this.limit = b.limit;
    this.messageLimit = b.messageLimit;
    this.connectTimeout = b.connectTimeout;
    this.pipeline = b.pipeline;
    this.localAddress = b.localAddress;
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
  public static ClientOptions defaults() {
    return DEFAULTS;
  }

  /** {@return the reader limit} */
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

  /** {@return the connect timeout, or empty for Netty's default (30 s)} */
  public Optional<Duration> connectTimeout() {
    return Optional.ofNullable(connectTimeout);
  }

  /** {@return the customizer run on the connection's pipeline (a no-op by default)} */
  public Consumer<ChannelPipeline> pipeline() {
    return pipeline;
  }

  /** {@return the local address to bind before connecting, or empty} */
  public Optional<InetSocketAddress> localAddress() {
    return Optional.ofNullable(localAddress);
  }

  /** {@return the TLS context, or empty for plain TCP} */
  public Optional<SslContext> ssl() {
    return Optional.ofNullable(ssl);
  }

  /** {@return the name to send (SNI) and verify the certificate against, or empty for the host} */
  public Optional<String> serverHostname() {
    return Optional.ofNullable(serverHostname);
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

  /** @return how long closing the connection keeps reading and discarding its input; zero: not at all */
  public Duration lingerTimeout() {
    return lingerTimeout;
  }

  /** Builds {@link ClientOptions}; not thread-safe. */
  public static final class Builder {
    private int limit = ServerOptions.DEFAULT_LIMIT;
    private int messageLimit = ServerOptions.DEFAULT_MESSAGE_LIMIT;
    private Duration connectTimeout;
    private Consumer<ChannelPipeline> pipeline = p -> { };
    private InetSocketAddress localAddress;
    private SslContext ssl;
    private AddressResolverGroup<InetSocketAddress> resolver;
    private String serverHostname;
    private Duration lingerTimeout = ServerOptions.DEFAULT_LINGER_TIMEOUT;

    private Builder() {}

    /**
     * Sets how long {@link StreamWriter#close()} may read and discard input that is not at EOF
     * yet (default 2 s; {@link Duration#ZERO} turns lingering off), so that the close sends no
     * reset that would make the peer drop bytes it had received but not read yet. See
     * {@link ServerOptions.Builder#lingerTimeout(Duration)}.
     *
     * @param timeout the timeout, zero or positive
     * @return this builder
     */
    public Builder lingerTimeout(Duration timeout) {
      this.lingerTimeout = ServerOptions.checkLinger(timeout);
      return this;
    }

    /**
     * Speaks TLS: the connection promise completes after the handshake succeeded, and fails with
     * the {@code SSLException} otherwise. The server's certificate is checked against
     * {@link #serverHostname(String)}, or the host connected to (hostname verification is on,
     * as asyncio's default context).
     *
     * @param context a client {@code SslContext}
     * @return this builder
     */
    public Builder ssl(SslContext context) {
      Objects.requireNonNull(context, "context");
      if (!context.isClient()) {
        throw new IllegalArgumentException("a client needs a client SslContext, got a server one");
      }
      this.ssl = context;
      return this;
    }

    /**
     * Sets the name sent in SNI and checked against the server's certificate (asyncio's
     * {@code server_hostname}); default: the host connected to.
     *
     * @param hostname the name
     * @return this builder
     */
    public Builder serverHostname(String hostname) {
      this.serverHostname = Objects.requireNonNull(hostname, "hostname");
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
     * Sets the reader limit (asyncio's {@code limit}, default 64 KiB).
     *
     * @param limit bytes, positive
     * @return this builder
     * @throws IllegalArgumentException if {@code limit <= 0}
     */
    public Builder limit(int limit) {
      this.limit = ServerOptions.checkLimit(limit);
      return this;
    }

    /**
     * Sets how long connecting may take before the promise fails with Netty's
     * {@code ConnectTimeoutException} (a negative duration counts as zero).
     *
     * @param timeout the timeout
     * @return this builder
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Sets code that adds the user's handlers to the pipeline; it runs before aionet adds its
     * own handlers, so {@code addLast} lands in front of the stream adapter. In front of the byte
     * streams the handlers must pass bytes ({@code ByteBuf}) on: anything else fails the reader
     * with {@link UnexpectedMessageException}. To read decoded messages, use {@link Messages}.
     *
     * @param customizer the code
     * @return this builder
     */
    public Builder pipeline(Consumer<ChannelPipeline> customizer) {
      this.pipeline = Objects.requireNonNull(customizer, "customizer");
      return this;
    }

    /**
     * Sets the local address to bind before connecting (asyncio's {@code local_addr}).
     *
     * @param address the address
     * @return this builder
     */
    public Builder localAddress(InetSocketAddress address) {
      this.localAddress = Objects.requireNonNull(address, "address");
      return this;
    }

    /**
     * Resolves host names with {@code resolver} instead of the default (Netty's asynchronous DNS
     * resolver over {@code /etc/hosts} and the system's DNS servers). The resolver must not
     * block: it is asked on a loop thread and answers through its future, as Netty's
     * {@code DnsAddressResolverGroup} does. The first address it gives for the host to connect to is used; an
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
    public ClientOptions build() {
      return new ClientOptions(this);
    }
  }
}
