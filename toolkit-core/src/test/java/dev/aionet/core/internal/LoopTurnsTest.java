package dev.aionet.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The per-turn counting allocates nothing: counted with the JVM's per-thread allocation counter
 * over a million turns of each kind (the slow-turn path, which does allocate its event, is not
 * taken).
 */
class LoopTurnsTest {
  private static final int TURNS = 1_000_000;

  private static long allocatedByThisThread() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  private static void turns(LoopTurns turns, Object what, int n) {
    for (int i = 0; i < n; i++) {
      turns.begin();
      turns.timerLag(i);
      turns.end(what, 1);
      if (turns.beginIfNone()) {
        turns.endIfOpened(what, 1);
      }
    }
  }

  @Test
  void aMillionTurnsOfEachKindAllocateNothing() {
    LoopTurns turns = new LoopTurns(Long.MAX_VALUE); // no turn is slow
    Object what = new Object();
    turns(turns, what, TURNS); // compiled by now
    long before = allocatedByThisThread();
    turns(turns, what, TURNS);
    long allocated = allocatedByThisThread() - before;
    // the counter's own call may allocate a few bytes; one byte per turn would be 2 MB
    assertThat(allocated).as("bytes allocated by 2,000,000 turns").isLessThan(4096);
    assertThat(turns.turns()).isEqualTo(4L * TURNS);
    assertThat(turns.slowTurns()).isZero();
    assertThat(turns.takeMaxTimerLagNanos()).isEqualTo(TURNS - 1);
    assertThat(turns.takeMaxTimerLagNanos()).isZero();
  }

  @Test
  void aSlowTurnIsCountedOnceAndItsDurationIsTheMaximum() throws Exception {
    LoopTurns turns = new LoopTurns(1_000_000); // 1 ms
    turns.begin();
    long until = System.nanoTime() + 5_000_000;
    while (System.nanoTime() < until) {
      Thread.onSpinWait(); // a 5 ms turn
    }
    turns.end("the slow one", 1);
    turns.begin();
    turns.end("a fast one", 1);
    assertThat(turns.slowTurns()).isEqualTo(1);
    assertThat(turns.turns()).isEqualTo(2);
    assertThat(turns.takeMaxTurnNanos()).isGreaterThanOrEqualTo(5_000_000);
  }

  @Test
  void aReadBurstInsideAnotherTurnIsPartOfIt() {
    LoopTurns turns = new LoopTurns(Long.MAX_VALUE);
    turns.begin();
    assertThat(turns.beginIfNone()).isFalse(); // nested: no turn of its own
    turns.end("outer", 1);
    assertThat(turns.turns()).isEqualTo(1);
    assertThat(turns.beginIfNone()).isTrue();
    turns.endIfOpened("burst", 1);
    turns.endIfOpened("burst", 1); // already ended: not counted twice
    assertThat(turns.turns()).isEqualTo(2);
  }
}
