package dev.aionet.bench;

import java.util.Locale;

/**
 * The outcome of one {@link OpenLoopLoad} run: the echo figures over the measured requests (rate
 * achieved, latency from each request's intended send time, server CPU, errors), the target rate,
 * and how many requests the schedule meant to send in the measured window.
 *
 * @param echo the measured requests' figures, in {@link EchoLoad}'s form (mode {@code openloop})
 * @param targetRate the requests per second asked for
 * @param scheduled the requests meant to leave during the measured seconds (all of them were sent)
 * @param late how many of those left more than {@link OpenLoopLoad#LATE_NANOS} after their intended time
 */
public record OpenLoopReport(EchoReport echo, double targetRate, long scheduled, long late) {

  /** The report for people, then one {@code RESULT key=value ...} line for scripts. */
  @Override
  public String toString() {
    return String.format(Locale.ROOT, "open loop at %.0f requests/s: %d requests meant to leave in the measured"
        + " seconds, %d of them sent more than 1 ms late%n", targetRate, scheduled, late)
        + echo + String.format(Locale.ROOT, " target=%.1f scheduled=%d late=%d", targetRate, scheduled, late);
  }
}
