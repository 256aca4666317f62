package dev.aionet.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LongOperationsTest {

  @Test
  void bothOperationsStartBeforeEitherEndsAndTheyEndInOrder() throws Exception {
    long start = System.nanoTime();
    List<String> lines = SampleOutput.linesOf(LongOperations::main);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(lines).containsExactly(
        "Inizio operazione 2", "Inizio operazione 4", "Fine operazione 2", "Fine operazione 4");
    // scaled by 0.1: concurrent sleeps of 0.2 s and 0.4 s take about 0.4 s, not 0.6 s
    assertThat(took).isLessThan(Duration.ofMillis(590));
  }
}
