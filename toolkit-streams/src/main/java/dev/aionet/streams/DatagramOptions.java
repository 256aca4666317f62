package dev.aionet.streams;

import io.netty.resolver.AddressResolverGroup;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link Datagrams#bind} and {@link Datagrams#connect} set up a UDP endpoint.
 *
 * <pre>{@code
 * DatagramOptions options = DatagramOptions.builder()
 *     .maxDatagramSize(1500)       // longer datagrams are dropped (and counted), never truncated
 *     .receiveQueue(4096)          // datagrams waiting for receive() before new ones are dropped
 *     .build();
 * }</pre>
 *
 * <p>There is no {@code SO_REUSEADDR} option: CPython removed {@code reuse_address} from
 * {@code create_datagram_endpoint} because on UDP it lets another process steal a bound port.
 * {@link Builder#reusePort} (load-balanced sharing between processes that all ask for it) is the
 * safe alternative.
 *
 * @since 0.2
 */
public final class DatagramOptions {
  /** The largest UDP payload over IPv4 (65,535 minus the IP and UDP headers): the default. */
  public static final int MAX_IPV4_PAYLOAD = 65_507;
  /** The largest UDP payload over IPv6 without jumbograms (65,535 minus the UDP header). */
  public static final int MAX_IPV6_PAYLOAD = 65_527;
  /** The default number of datagrams the receive queue holds. */
  public static final int DEFAULT_RECEIVE_QUEUE = 1024;

  private static final DatagramOptions DEFAULTS = builder().build();

  private final int maxDatagramSize;
  private final int receiveQueue;
  private final boolean broadcast;
  private final boolean reusePort;
  private final AddressResolverGroup<InetSocketAddress> resolver;

  private DatagramOptions(Builder b) {
    this.maxDatagramSize = b.maxDatagramSize;
    this.receiveQueue = b.receiveQueue;
    this.broadcast = b.broadcast;
    this.reusePort = b.reusePort;
    this.resolver = b.resolver;
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
  public static DatagramOptions defaults() {
    return DEFAULTS;
  }

  /** @return the largest datagram sent or received, in bytes (default 65,507) */
  public int maxDatagramSize() {
    return maxDatagramSize;
  }

  /** @return how many received datagrams wait for {@code receive()} at most (default 1,024) */
  public int receiveQueue() {
    return receiveQueue;
  }

  /** @return whether {@code SO_BROADCAST} is set (default false) */
  public boolean broadcast() {
    return broadcast;
  }

  /** @return whether {@code SO_REUSEPORT} is set (default false) */
  public boolean reusePort() {
    return reusePort;
  }

  /**
   * Returns the resolver of host names, or empty for the default: Netty's asynchronous DNS
   * resolver, which never blocks a loop thread and reads {@code /etc/hosts} and the system's DNS
   * configuration (the same as for TCP connections).
   *
   * @return the resolver group, or empty
   */
  public Optional<AddressResolverGroup<InetSocketAddress>> resolver() {
    return Optional.ofNullable(resolver);
  }

  @Override
  public String toString() {
    return "DatagramOptions[maxDatagramSize=" + maxDatagramSize + ", receiveQueue=" + receiveQueue
        + ", broadcast=" + broadcast + ", reusePort=" + reusePort + "]";
  }

  /** Builds {@link DatagramOptions}; not thread-safe. */
  public static final class Builder {
    private int maxDatagramSize = MAX_IPV4_PAYLOAD;
    private int receiveQueue = DEFAULT_RECEIVE_QUEUE;
    private boolean broadcast;
    private boolean reusePort;
    private AddressResolverGroup<InetSocketAddress> resolver;

    private Builder() {}

    /**
     * Resolves the host name given to {@code bind} or {@code connect} with {@code resolver}
     * instead of the default (Netty's asynchronous DNS resolver over {@code /etc/hosts} and the
     * system's DNS servers). The resolver must not block: it is asked on a loop thread and
     * answers through its future, as Netty's {@code DnsAddressResolverGroup} does. The first
     * address it gives is used; an IP address literal is used as it is, without asking.
     *
     * @param resolver the resolver group, e.g. a {@code DnsAddressResolverGroup} with other DNS servers
     * @return this builder
     */
    public Builder resolver(AddressResolverGroup<InetSocketAddress> resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /**
     * Sets the largest datagram, in bytes. {@code send} refuses a longer one at once; the receive
     * buffer holds one byte more, so a longer datagram that arrives is recognised and dropped
     * (counted by {@link DatagramEndpoint#dropped()}), never delivered cut short. The default,
     * 65,507, is the largest an IPv4 datagram can carry; IPv6 allows up to 65,527.
     *
     * @param bytes the size, 1 to {@link #MAX_IPV6_PAYLOAD}
     * @return this builder
     * @throws IllegalArgumentException if out of that range
     */
    public Builder maxDatagramSize(int bytes) {
      if (bytes < 1 || bytes > MAX_IPV6_PAYLOAD) {
        throw new IllegalArgumentException("maxDatagramSize must be 1.." + MAX_IPV6_PAYLOAD + ": " + bytes);
      }
      this.maxDatagramSize = bytes;
      return this;
    }

    /**
     * Sets how many received datagrams wait for {@code receive()}; datagrams that arrive while
     * that many wait are dropped and counted by {@link DatagramEndpoint#dropped()}.
     *
     * @param datagrams the capacity, positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder receiveQueue(int datagrams) {
      if (datagrams <= 0) {
        throw new IllegalArgumentException("receiveQueue must be positive: " + datagrams);
      }
      this.receiveQueue = datagrams;
      return this;
    }

    /**
     * Sets {@code SO_BROADCAST}, which lets the endpoint send to broadcast addresses (asyncio's
     * {@code allow_broadcast}).
     *
     * @param on whether to set it
     * @return this builder
     */
    public Builder broadcast(boolean on) {
      this.broadcast = on;
      return this;
    }

    /**
     * Sets {@code SO_REUSEPORT}, so several sockets (of processes that all set it) share the port
     * and the kernel spreads datagrams over them (asyncio's {@code reuse_port}).
     *
     * @param on whether to set it
     * @return this builder
     */
    public Builder reusePort(boolean on) {
      this.reusePort = on;
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the options
     */
    public DatagramOptions build() {
      return new DatagramOptions(this);
    }
  }
}
