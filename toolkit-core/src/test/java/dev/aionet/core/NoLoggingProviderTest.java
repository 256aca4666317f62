package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.testing.ChildJvm;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * With no SLF4J provider on the class path (a library must not force a logging backend, and
 * SLF4J then drops everything), the loop's default exception handler still shows every error:
 * one line on stderr per error, as Python's {@code logging.lastResort}; a stack trace only in
 * debug mode. Each test runs a child JVM without logback.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NoLoggingProviderTest {
  private static final Predicate<String> LOGGING_BACKENDS = p -> p.contains("logback") || p.contains("slf4j-simple");

  /** A program whose callbacks fail twice. */
  public static final class FailingCallbacks {
    public static void main(String... args) {
      try (Loop loop = Loop.create()) {
        loop.callSoon(() -> {
          throw new IllegalStateException("first failure");
        });
        loop.callSoon(() -> {
          throw new IllegalArgumentException("second failure");
        });
        loop.submit(() -> Aio.sleep(Duration.ofMillis(50))).join();
      }
      System.out.println("done");
    }
  }

  private static List<String> aionetLines(String stderr) {
    return stderr.lines().filter(l -> l.startsWith("aionet ")).toList();
  }

  @Test
  void eachErrorIsOneLineOnStderrWithoutAStackTrace() throws Exception {
    try (ChildJvm child = ChildJvm.start(FailingCallbacks.class, LOGGING_BACKENDS, List.of())) {
      assertThat(child.exitStatus(30)).isZero();
      String stderr = child.stderr();
      assertThat(child.stdout()).isEqualTo("done");
      assertThat(aionetLines(stderr)).satisfiesExactly(
          first -> assertThat(first).startsWith("aionet ERROR: Exception in callback")
              .endsWith("java.lang.IllegalStateException: first failure"),
          second -> assertThat(second).startsWith("aionet ERROR: Exception in callback")
              .endsWith("java.lang.IllegalArgumentException: second failure"));
      assertThat(stderr).as("no stack trace outside debug mode").doesNotContain("\tat ");
    }
  }

  @Test
  void inDebugModeEachErrorCarriesItsStackTrace() throws Exception {
    try (ChildJvm child = ChildJvm.start(FailingCallbacks.class, LOGGING_BACKENDS, List.of("-Daionet.debug=true"))) {
      assertThat(child.exitStatus(30)).isZero();
      String stderr = child.stderr();
      assertThat(aionetLines(stderr)).hasSize(2);
      assertThat(stderr).contains("java.lang.IllegalStateException: first failure\n\tat ")
          .contains("java.lang.IllegalArgumentException: second failure\n\tat ");
    }
  }
}
