package dev.aionet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.internal.LoopThread;
import dev.aionet.core.internal.LoopTurns;
import dev.aionet.streams.internal.StreamAdapter;
import dev.aionet.testing.InternalUse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The benchmarks measure what users run, through the public API, with the allowed exceptions
 * below (each with the reason); any other use of an aionet {@code internal} type fails here.
 */
@Timeout(60)
class ModuleBoundaryTest {
  /** The internals the benchmarks may use, and why; extend only with a reason. */
  private static final Map<String, String> INTERNALS = Map.of(
      LoopThread.class.getName(), "BufferedStream, SeedIterationBenchmark and EchoRequestBenchmark feed a reader on the"
          + " current loop thread without a socket",
      LoopTurns.class.getName(), "LoopTurnsBenchmark measures the cost of counting one loop turn itself",
      StreamAdapter.class.getName(), "BufferedStream: the read benchmarks (ReadLine, ReadExactly) measure the "
          + "reader's buffer alone, fed through the adapter as a socket feeds it, without the network's noise; "
          + "SeedIterationBenchmark and EchoRequestBenchmark run the echo loops on an adapter in an EmbeddedChannel "
          + "beside Netty's");

  @Test
  void theBenchmarksUseOnlyTheAllowedInternals() {
    InternalUse use = InternalUse.of("dev.aionet.bench", InternalUse.INTERNAL_PACKAGES);
    assertThat(use.differencesFrom(INTERNALS, "dev.aionet.bench.ModuleBoundaryTest.INTERNALS")).isEmpty();
  }
}
