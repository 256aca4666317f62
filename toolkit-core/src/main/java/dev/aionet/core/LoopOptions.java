package dev.aionet.core;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Loop} is built: threads, transport and debug mode.
 *
 * <pre>{@code
 * LoopOptions options = LoopOptions.builder().threads(4).build();
 * Aio.run(main, options);
 * }</pre>
 *
 * @since 0.1
 */
public final class LoopOptions {
  private final int threads;
  private final Transport transport;
  private final Boolean debug;
  private final Duration slowCallbackDuration;

  private LoopOptions(Builder b) {
    this.threads = b.threads;
    this.transport = b.transport;
    this.debug = b.debug;
    this.slowCallbackDuration = b.slowCallbackDuration;
  }

  /**
   * Returns a builder with the defaults: one thread, {@link Transport#AUTO}, debug from the
   * environment, slow callbacks at 100 ms.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the defaults.
   *
   * @return options equal to {@code builder().build()}
   */
  public static LoopOptions defaults() {
    return builder().build();
  }

  /**
   * Returns the number of loop threads.
   *
   * @return at least 1
   */
  public int threads() {
    return threads;
  }

  /**
   * Returns the requested transport.
   *
   * @return the transport
   */
  public Transport transport() {
    return transport;
  }

  /**
   * Returns whether debug mode is on: set explicitly, or else from the system property
   * {@code aionet.debug=true} or the environment variable {@code AIONET_DEBUG=1}.
   *
   * @return true for debug mode
   */
  public boolean debug() {
    if (debug != null) {
      return debug;
    }
    return Boolean.getBoolean("aionet.debug") || "1".equals(System.getenv("AIONET_DEBUG"));
  }

  /**
   * Returns how long a callback or task step may run before debug mode reports it.
   *
   * @return the duration, 100 ms by default
   */
  public Duration slowCallbackDuration() {
    return slowCallbackDuration;
  }

  @Override
  public String toString() {
    return "LoopOptions[threads=" + threads + ", transport=" + transport + ", debug=" + debug()
        + ", slowCallbackDuration=" + slowCallbackDuration + "]";
  }

  /** Builds {@link LoopOptions}. */
  public static final class Builder {
    private int threads = 1;
    private Transport transport = Transport.AUTO;
    private Boolean debug;
    private Duration slowCallbackDuration = Duration.ofMillis(100);

    private Builder() {}

    /**
     * Sets the number of loop threads (default 1: asyncio's single thread).
     *
     * @param threads at least 1
     * @return this builder
     */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads < 1: " + threads);
      }
      this.threads = threads;
      return this;
    }

    /**
     * Sets the transport (default {@link Transport#AUTO}).
     *
     * @param transport the transport
     * @return this builder
     */
    public Builder transport(Transport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    /**
     * Turns debug mode on or off, overriding the system property and environment variable.
     *
     * @param debug true for debug mode
     * @return this builder
     */
    public Builder debug(boolean debug) {
      this.debug = debug;
      return this;
    }

    /**
     * Sets how long a callback or task step may run before debug mode reports it.
     *
     * @param duration the threshold; negative counts as zero
     * @return this builder
     */
    public Builder slowCallbackDuration(Duration duration) {
      Objects.requireNonNull(duration, "duration");
      this.slowCallbackDuration = duration.isNegative() ? Duration.ZERO : duration;
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the options
     */
    public LoopOptions build() {
      return new LoopOptions(this);
    }
  }
}
