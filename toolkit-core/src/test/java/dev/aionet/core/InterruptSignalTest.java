package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.testing.ChildJvm;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Ctrl-C runs the cleanup (asyncio.run turns it into a cancellation of the main task): a child
 * JVM blocked in {@code Aio.run} or {@code Loop.runUntilComplete} gets a real SIGINT or SIGTERM;
 * its main task's {@code whenComplete} and the {@code finally} after the call run, then it exits
 * with the signal's usual status, unless the program catches the cancellation and decides.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InterruptSignalTest {

  /** Waits in Aio.run or Loop.runUntilComplete ("aio", "loop"; "catch" to choose its own status). */
  public static final class Program {
    public static void main(String... args) {
      Coroutine<Void> main = () -> {
        System.out.println("ready");
        return Aio.sleep(Duration.ofMinutes(5))
            .whenComplete((v, e) -> System.out.println("cleanup " + e.getClass().getSimpleName()));
      };
      try {
        if (args[0].equals("loop")) {
          try (Loop loop = Loop.create()) {
            loop.runUntilComplete(main);
          }
        } else {
          Aio.run(main);
        }
      } catch (CancelledException e) {
        if (!args[1].equals("catch")) {
          throw e;
        }
        System.out.println("caught: " + e.getMessage());
        return; // the program chose its own ending: status 0
      } finally {
        System.out.println("finally");
      }
      System.out.println("not reached");
    }
  }

  @ParameterizedTest
  @CsvSource({"aio, INT, 130", "aio, TERM, 143", "loop, INT, 130", "loop, TERM, 143"})
  void aSignalCancelsTheMainTaskRunsItsCleanupAndTheFinallyThenExitsWithTheSignalsStatus(
      String entry, String signal, int status) throws Exception {
    try (ChildJvm child = ChildJvm.start(Program.class, p -> false, List.of(), entry, "rethrow")) {
      child.awaitLine("ready", 60);
      child.sendSignal(signal);
      assertThat(child.exitStatus(60)).isEqualTo(status);
      assertThat(child.stdout().lines()).containsExactly("ready", "cleanup CancelledException", "finally");
      assertThat(child.stderr()).as("no stack trace").doesNotContain("\tat ");
    }
  }

  @ParameterizedTest
  @CsvSource({"aio, INT", "loop, TERM"})
  void aProgramThatCatchesTheCancellationChoosesItsOwnExitStatus(String entry, String signal) throws Exception {
    try (ChildJvm child = ChildJvm.start(Program.class, p -> false, List.of(), entry, "catch")) {
      child.awaitLine("ready", 60);
      child.sendSignal(signal);
      assertThat(child.exitStatus(60)).isZero();
      assertThat(child.stdout().lines())
          .containsExactly("ready", "cleanup CancelledException", "caught: interrupted by SIG" + signal, "finally");
    }
  }
}
