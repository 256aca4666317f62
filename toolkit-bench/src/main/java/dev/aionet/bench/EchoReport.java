package dev.aionet.bench;

import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The outcome of one {@link EchoLoad} run: what was echoed during the measured seconds (after
 * the warm-up), the latency of each request/response round trip, and every error.
 *
 * @param mode {@code pingpong}, {@code stream} or {@code idle}
 * @param connections connections opened
 * @param size message size (ping-pong) or chunk size (streaming), in bytes
 * @param seconds the measured time
 * @param requests requests echoed in full (streaming: chunks of {@code size} bytes)
 * @param bytes bytes echoed back and checked
 * @param latencyNanos round-trip latencies (ping-pong and idle mode; empty when streaming)
 * @param serverCpuSeconds the server's CPU time during the measurement ({@code --server-pid}), or NaN
 * @param errors the number of errors (byte mismatch, exception, connection lost or refused)
 * @param errorMessages the first few error messages
 */
public record EchoReport(String mode, int connections, int size, double seconds, long requests, long bytes,
    Histogram latencyNanos, double serverCpuSeconds, long errors, List<String> errorMessages) {

  public double requestsPerSecond() {
    return seconds > 0 ? requests / seconds : 0;
  }

  /** Echoed megabytes (10^6 bytes) per second, one direction. */
  public double megabytesPerSecond() {
    return seconds > 0 ? bytes / seconds / 1e6 : 0;
  }

  /** The server's CPU time per request in microseconds, or NaN without {@code --server-pid}. */
  public double serverCpuMicrosPerRequest() {
    return requests > 0 ? serverCpuSeconds * 1e6 / requests : Double.NaN;
  }

  /** The latency at {@code percentile} (e.g. 99.9), in microseconds; 0 without samples. */
  public double latencyMicros(double percentile) {
    return latencyNanos.getTotalCount() == 0 ? 0 : latencyNanos.getValueAtPercentile(percentile) / 1e3;
  }

  /** The report for people, then one {@code RESULT key=value ...} line for scripts. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "%s: %d connection(s), %d B, %.1f s measured%n", mode, connections, size, seconds));
    s.append(String.format(Locale.ROOT, "  %,.0f requests/s, %.1f MB/s (%d requests, %d bytes echoed and checked)%n",
        requestsPerSecond(), megabytesPerSecond(), requests, bytes));
    if (latencyNanos.getTotalCount() > 0) {
      s.append(String.format(Locale.ROOT, "  latency us: p50 %.1f, p99 %.1f, p99.9 %.1f, max %.1f%n",
          latencyMicros(50), latencyMicros(99), latencyMicros(99.9), latencyNanos.getMaxValue() / 1e3));
    }
    if (!Double.isNaN(serverCpuSeconds)) {
      s.append(String.format(Locale.ROOT, "  server CPU: %.2f s, %.2f us per request%n", serverCpuSeconds,
          serverCpuMicrosPerRequest()));
    }
    s.append("  errors: ").append(errors).append(System.lineSeparator());
    for (String message : errorMessages) {
      s.append("    ").append(message).append(System.lineSeparator());
    }
    s.append(String.format(Locale.ROOT,
        "RESULT mode=%s connections=%d size=%d seconds=%.3f requests=%d bytes=%d rps=%.1f mbps=%.3f"
            + " p50us=%.1f p99us=%.1f p999us=%.1f servercpus=%.3f cpuusperreq=%.3f errors=%d",
        mode, connections, size, seconds, requests, bytes, requestsPerSecond(), megabytesPerSecond(),
        latencyMicros(50), latencyMicros(99), latencyMicros(99.9), serverCpuSeconds, serverCpuMicrosPerRequest(),
        errors));
    return s.toString();
  }
}
