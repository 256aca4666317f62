package dev.aionet.bench;

import org.HdrHistogram.Histogram;

/**
 * What the connections of one load-generator thread measured: echoed requests, echoed bytes and
 * request latencies. Confined to that thread; {@link EchoLoad} resets it when the warm-up ends
 * and stops it when the measurement ends, each time by a task on that thread.
 */
final class LoopStats {
  /** Latencies up to one minute, in nanoseconds, with three significant digits. */
  final Histogram latencyNanos = new Histogram(60_000_000_000L, 3);
  long requests;
  long bytes;
  /** Set when the measurement ended: connections stop sending and closing is no longer an error. */
  boolean stopped;

  void reset() {
    latencyNanos.reset();
    requests = 0;
    bytes = 0;
  }
}
