package dev.aionet.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs a real third-party client (python3, curl) as a process, for the samples' interop tests. */
final class ExternalClient {
  private ExternalClient() {}

  /** Skips the test unless {@code command} runs here. */
  static void assumeAvailable(String... command) {
    boolean present;
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      present = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      present = false;
    }
    Assumptions.assumeTrue(present, String.join(" ", command) + " is not available: test skipped");
  }

  /** Runs {@code command} to completion (60 s at most) and returns its output; fails on a non-zero exit. */
  static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
    try {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command[0]).isTrue();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(output).isZero();
      return output;
    } finally {
      p.destroyForcibly();
    }
  }
}
