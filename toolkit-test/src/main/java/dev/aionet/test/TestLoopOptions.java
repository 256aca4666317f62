package dev.aionet.test;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link TestLoop}'s virtual clock moves.
 *
 * <pre>{@code
 * TestLoopOptions options = TestLoopOptions.builder()
 *     .autoAdvance(true)                 // jump to the next timer once the loop is idle (default)
 *     .ioGrace(Duration.ofMillis(20))    // with a socket open, idle this long in real time first
 *     .realTimeout(Duration.ofSeconds(60)) // a run() never takes longer than this in real time
 *     .build();
 * }</pre>
 *
 * @since 0.2
 */
public final class TestLoopOptions {
  private static final TestLoopOptions DEFAULTS = builder().build();

  private final boolean autoAdvance;
  private final Duration ioGrace;
  private final Duration realTimeout;

  private TestLoopOptions(Builder b) {
    this.autoAdvance = b.autoAdvance;
    this.ioGrace = b.ioGrace;
    this.realTimeout = b.realTimeout;
  }

  /** Returns a builder with the defaults: auto-advance on, 20 ms I/O grace, 60 s real timeout. */
  public static Builder builder() {
    return new Builder();
  }

  /** The defaults (see {@link #builder()}). */
  public static TestLoopOptions defaults() {
    return DEFAULTS;
  }

  /** Whether the clock jumps to the next timer by itself once the loop is idle. */
  public boolean autoAdvance() {
    return autoAdvance;
  }

  /**
   * How long, in real time, the loop must have been idle (no task, no I/O event) before the clock
   * jumps while a channel is open.
   */
  public Duration ioGrace() {
    return ioGrace;
  }

  /** The longest a {@link TestLoop#run} may take in real time. */
  public Duration realTimeout() {
    return realTimeout;
  }

  @Override
  public String toString() {
    return "TestLoopOptions[autoAdvance=" + autoAdvance + ", ioGrace=" + ioGrace + ", realTimeout=" + realTimeout + "]";
  }

  /** Builds {@link TestLoopOptions}. */
  public static final class Builder {
    private boolean autoAdvance = true;
    private Duration ioGrace = Duration.ofMillis(20);
    private Duration realTimeout = Duration.ofSeconds(60);

    private Builder() {}

    /**
     * With {@code true} (the default) the clock jumps to the earliest timer once nothing is
     * ready, no continuation is pending, no call runs off the loop ({@code Aio.toThread}) and,
     * while a channel is open, nothing happened for {@link #ioGrace}. With {@code false} only
     * {@link TestLoop#advanceBy} moves it.
     *
     * @param on whether the clock moves by itself
     * @return this builder
     */
    public Builder autoAdvance(boolean on) {
      this.autoAdvance = on;
      return this;
    }

    /**
     * Sets how long the loop must be idle in real time before the clock jumps while a channel is
     * open (default 20 ms), so a peer that answers within it is heard before a timeout fires.
     * Zero suits tests whose sockets all have both ends on the test loop; with no channel open the
     * clock jumps at once anyway. On a machine with more runnable threads than cores (load average
     * above the core count) the grace is stretched by that ratio, at most 50 times, and a nap the
     * machine overran restarts it: a starved peer needs longer to answer.
     * <p>The grace is only as good as the peer's speed: a peer slower than it (a cold JVM loading
     * classes, say) can miss a timeout that a real clock would have given it; warm it up first or
     * raise the grace.
     *
     * @param grace zero or more
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder ioGrace(Duration grace) {
      Objects.requireNonNull(grace, "grace");
      if (grace.isNegative()) {
        throw new IllegalArgumentException("ioGrace < 0: " + grace);
      }
      this.ioGrace = grace;
      return this;
    }

    /**
     * Sets the longest a {@link TestLoop#run} may take in real time (default 60 s).
     *
     * @param timeout more than zero
     * @return this builder
     * @throws IllegalArgumentException if zero or negative
     */
    public Builder realTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isZero() || timeout.isNegative()) {
        throw new IllegalArgumentException("realTimeout <= 0: " + timeout);
      }
      this.realTimeout = timeout;
      return this;
    }

    /** Returns the options. */
    public TestLoopOptions build() {
      return new TestLoopOptions(this);
    }
  }
}
