package dev.aionet.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.LoopStats;
import dev.aionet.streams.ServerStats;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The echo server's --stats line: totals as they are, rates against the previous line. */
class StatsLineTest {
  @Test
  void ratesAreTheDifferenceToThePreviousLineOverTheInterval() {
    StatsLine line = new StatsLine(5);
    line.next(new LoopStats(2, 3, 0, 1_000, 1, 0, 0), new ServerStats(3, 10, 0, 1_000, 2_000));
    String second = line.next(
        new LoopStats(2, 4, 1, 51_000, 2, TimeUnit.MICROSECONDS.toNanos(1_500), TimeUnit.MICROSECONDS.toNanos(300)),
        new ServerStats(4, 18, 2, 1_000 + 10_000_000, 2_000 + 5_000));
    assertThat(second).isEqualTo("stats 5s: 4 open, 18 accepted (+8), 2 rejected | in 2.0 MB/s, out 1.0 kB/s"
        + " | 10,000 turns/s, 1 slow (2 total), longest 1.5 ms, timers late 0.3 ms | 4 tasks, 1 ready");
  }
}
