package dev.aionet.streams;

import io.netty.channel.ChannelPipeline;
import java.util.Objects;
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
  /** asyncio's default stream limit, 64 KiB. */
  public static final int DEFAULT_LIMIT = 1 << 16;

  private static final ServerOptions DEFAULTS = builder().build();

  private final int limit;
  private final Integer backlog;
  private final boolean reusePort;
  private final Consumer<ChannelPipeline> pipeline;
  private final int lowWaterMark;
  private final int highWaterMark;

  private ServerOptions(Builder b) {
    this.limit = b.limit;
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

  /** @return each connection's reader limit */
  public int limit() {
    return limit;
  }

  /** @return the listen backlog, or empty for the OS's SOMAXCONN */
  public OptionalInt backlog() {
    return backlog == null ? OptionalInt.empty() : OptionalInt.of(backlog);
  }

  /** @return whether SO_REUSEPORT is set on the listener */
  public boolean reusePort() {
    return reusePort;
  }

  /** @return the customizer run on each connection's pipeline (a no-op by default) */
  public Consumer<ChannelPipeline> pipeline() {
    return pipeline;
  }

  /** @return the write buffer's low-water mark in bytes */
  public int lowWaterMark() {
    return lowWaterMark;
  }

  /** @return the write buffer's high-water mark in bytes */
  public int highWaterMark() {
    return highWaterMark;
  }

  /** Builds {@link ServerOptions}; not thread-safe. */
  public static final class Builder {
    private int limit = DEFAULT_LIMIT;
    private Integer backlog;
    private boolean reusePort;
    private Consumer<ChannelPipeline> pipeline = p -> { };
    private int low = 32 * 1024;
    private int high = 64 * 1024;

    private Builder() {}

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
     * stream adapter and handlers need not be {@code @Sharable}.
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

  static void checkWaterMarks(int low, int high) {
    if (low < 0 || high < low) {
      throw new IllegalArgumentException("high (" + high + ") must be >= low (" + low + ") must be >= 0");
    }
  }
}
