package dev.aionet.samples;

import dev.aionet.core.LoopStats;
import dev.aionet.streams.ServerStats;
import java.util.Locale;

/**
 * One line for a person watching a server's terminal, built from {@code Loop.stats()} and {@code
 * Server.stats()} taken at a fixed interval: connections, traffic and turns per second since the
 * previous line, and how late the loop ran.
 *
 * <pre>
 * stats 5s: 12 open, 40 accepted (+8), 0 rejected | in 1.9 MB/s, out 1.9 MB/s | 11,204 turns/s, 0 slow (0 total), longest 1.4 ms, timers late 0.3 ms | 13 tasks, 0 ready
 * </pre>
 */
public final class StatsLine {
  private final double seconds;
  private ServerStats previousServer;
  private LoopStats previousLoop;

  /**
   * @param seconds the interval between two lines
   */
  public StatsLine(double seconds) {
    this.seconds = seconds;
  }

  /**
   * The line for these snapshots; rates are against the previous call's (zero the first time).
   *
   * @param loop the loop's stats
   * @param server the server's stats
   * @return one line, no line break
   */
  public String next(LoopStats loop, ServerStats server) {
    ServerStats ps = previousServer != null ? previousServer : new ServerStats(0, 0, 0, 0, 0);
    LoopStats pl = previousLoop != null ? previousLoop : new LoopStats(loop.threads(), 0, 0, 0, 0, 0, 0);
    previousServer = server;
    previousLoop = loop;
    return String.format(Locale.ROOT,
        "stats %ss: %d open, %d accepted (+%d), %d rejected | in %s/s, out %s/s | %,.0f turns/s, %d slow (%d total),"
            + " longest %s, timers late %s | %d tasks, %d ready",
        trim(seconds), server.open(), server.accepted(), server.accepted() - ps.accepted(), server.rejected(),
        bytes((server.bytesRead() - ps.bytesRead()) / seconds), bytes((server.bytesWritten() - ps.bytesWritten()) / seconds),
        (loop.turns() - pl.turns()) / seconds, loop.slowTurns() - pl.slowTurns(), loop.slowTurns(),
        millis(loop.maxTurnNanos()), millis(loop.maxTimerLagNanos()), loop.tasksAlive(), loop.readyCallbacks());
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private static String bytes(double perSecond) {
    if (perSecond >= 1e6) {
      return String.format(Locale.ROOT, "%.1f MB", perSecond / 1e6);
    }
    if (perSecond >= 1e3) {
      return String.format(Locale.ROOT, "%.1f kB", perSecond / 1e3);
    }
    return String.format(Locale.ROOT, "%.0f B", perSecond);
  }

  private static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
  }
}
