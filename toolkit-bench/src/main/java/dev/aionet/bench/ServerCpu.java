package dev.aionet.bench;

import java.time.Duration;
import java.util.Optional;

/** The CPU time a server process has used, read from the operating system, for CPU time per request. */
final class ServerCpu {
  private ServerCpu() {}

  /**
   * The CPU seconds process {@code pid} has used so far, or NaN when {@code pid} is null; a
   * process whose CPU time cannot be read is an error of the run.
   */
  static double seconds(Long pid, LoadErrors errors) {
    if (pid == null) {
      return Double.NaN;
    }
    Optional<Duration> cpu = ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration());
    if (cpu.isEmpty()) {
      errors.add("no CPU time for server process " + pid + " (not running?)");
      return Double.NaN;
    }
    return cpu.get().toNanos() / 1e9;
  }
}
