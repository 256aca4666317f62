package dev.aionet.streams;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** CPython as a real peer of the interop tests: skips a test class where python3 is missing. */
final class PythonPeer {
  private PythonPeer() {}

  /**
   * Skips the calling test class unless {@code python3 -c "import <modules>"} succeeds.
   *
   * @param imports what the test's scripts import, e.g. {@code "asyncio, ssl"}
   */
  static void assumePresent(String imports) {
    boolean present;
    try {
      Process p = new ProcessBuilder("python3", "-c", "import " + imports).redirectErrorStream(true).start();
      present = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      present = false;
    }
    Assumptions.assumeTrue(present, "python3 with " + imports + " is not on the PATH: interop tests skipped");
  }
}
