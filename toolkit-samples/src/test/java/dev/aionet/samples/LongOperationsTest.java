package dev.aionet.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Aio;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LongOperationsTest {

  @Test
  void bothOperationsStartBeforeEitherEndsAndTheyEndInOrder() throws Exception {
    long[] took = new long[1];
    List<String> lines = SampleOutput.linesOf(() -> took[0] = Aio.run(() -> {
      long start = System.nanoTime();
      return LongOperations.asyncMain().thenApply(x -> System.nanoTime() - start);
    }));
    assertThat(lines).containsExactly(
        "Inizio operazione 2", "Inizio operazione 4", "Fine operazione 2", "Fine operazione 4");
    // scaled by 0.1: concurrent sleeps of 0.2 s and 0.4 s take about 0.4 s, not 0.6 s
    assertThat(Duration.ofNanos(took[0])).isBetween(Duration.ofMillis(390), Duration.ofMillis(590));
  }

  @Test
  void mainRunsTheProgram() throws Exception {
    assertThat(SampleOutput.linesOf(LongOperations::main)).hasSize(4);
  }
}
