package dev.aionet.test.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.concurrent.TimeUnit;

/**
 * Stretches the I/O grace on an oversubscribed machine: with a load average above the number of
 * cores, a thread (a peer about to answer) waits for a core about load / cores times longer, so the
 * grace is multiplied by that ratio, at most {@link #MAX_STRETCH} times. Read at most once a
 * second (the load average moves slowly, and reading it is a system call); where the system gives
 * no load average the grace is used as is. Loop thread only.
 */
final class MachineLoad {
  static final double MAX_STRETCH = 50;
  private static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
  private long readAt = System.nanoTime() - REFRESH_NANOS;
  private double factor = 1;

  /** {@code graceNanos} stretched by the current oversubscription. */
  long stretch(long graceNanos) {
    long now = System.nanoTime();
    if (now - readAt >= REFRESH_NANOS) {
      readAt = now;
      double perCore = os.getSystemLoadAverage() / os.getAvailableProcessors();
      factor = perCore > 1 ? Math.min(perCore, MAX_STRETCH) : 1; // negative: not available
    }
    return (long) (graceNanos * factor);
  }
}
