package dev.aionet.core.internal;

import dev.aionet.core.CancelledException;

/**
 * How {@code Loop.runUntilComplete} and {@code Aio.run} end when SIGINT or SIGTERM cancelled the
 * main task (asyncio's {@code KeyboardInterrupt} out of {@code asyncio.run}); uncaught, it exits
 * the JVM with {@link #exitStatus()}. See {@link InterruptSignals}.
 */
public final class InterruptedBySignal extends CancelledException {
  private static final long serialVersionUID = 1L;

  private final int number;

  InterruptedBySignal(String name, int number) {
    super("interrupted by SIG" + name);
    this.number = number;
  }

  /**
   * Returns the status a process killed by this signal reports: 128 + its number.
   *
   * @return 130 for SIGINT, 143 for SIGTERM
   */
  public int exitStatus() {
    return 128 + number;
  }
}
