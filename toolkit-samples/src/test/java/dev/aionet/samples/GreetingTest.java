package dev.aionet.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Aio;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class GreetingTest {

  @Test
  void eachGreetingPrintsWhenItsOwnDelayEndsAndAllRunTogether() throws Exception {
    long[] took = new long[1];
    List<String> lines = SampleOutput.linesOf(() -> took[0] = Aio.run(() -> {
      long start = System.nanoTime();
      return Greeting.asyncMain().thenApply(x -> System.nanoTime() - start);
    }));
    assertThat(lines).containsExactly("Ciao, Barbara!", "Ciao, Andrea!", "Ciao, Cristina!");
    // scaled by 0.1: about 0.3 s (the longest delay), well under 0.5 s (the 5 s, scaled)
    assertThat(Duration.ofNanos(took[0])).isBetween(Duration.ofMillis(290), Duration.ofMillis(500));
  }

  @Test
  void mainRunsTheProgram() throws Exception {
    assertThat(SampleOutput.linesOf(Greeting::main)).hasSize(3);
  }
}
