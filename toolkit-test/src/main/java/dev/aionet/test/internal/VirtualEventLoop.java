package dev.aionet.test.internal;

import io.netty.channel.ManualIoEventLoop;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.util.concurrent.TimeUnit;

/**
 * A Netty event loop whose clock is a {@link MockTicker} and whose thread is driven by a
 * {@link VirtualTimeDriver}. Netty reads this ticker for every scheduled task and for
 * {@code IdleStateHandler}, and aionet reads it for {@code Loop.time()} and its timers, so moving
 * the ticker moves every clock of the loop at once.
 */
final class VirtualEventLoop extends ManualIoEventLoop {
  private final MockTicker ticker;

  private VirtualEventLoop(Thread owner, WatchedIoHandler.Factory io, MockTicker ticker) {
    super(null, owner, io, ticker);
    this.ticker = ticker;
  }

  static VirtualEventLoop create(Thread owner, WatchedIoHandler.Factory io) {
    return new VirtualEventLoop(owner, io, Ticker.newMockTicker());
  }

  /** The virtual time in nanoseconds (starts at 0). Any thread. */
  long virtualNanos() {
    return ticker.nanoTime();
  }

  /** The deadline of the earliest scheduled task in ticker nanoseconds, or -1 if none. Loop thread. */
  long nextDeadlineNanos() {
    return nextScheduledTaskDeadlineNanos();
  }

  /** Moves the clock forward to {@code nanos}; never backward. Loop thread. */
  void advanceTo(long nanos) {
    long now = ticker.nanoTime();
    if (nanos > now) {
      ticker.advance(nanos - now, TimeUnit.NANOSECONDS);
    }
  }
}
