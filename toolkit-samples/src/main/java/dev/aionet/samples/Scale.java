package dev.aionet.samples;

import java.time.Duration;

/**
 * The samples' notion of "a second": {@code -Daionet.samples.scale=0.1} makes every delay ten
 * times shorter, so the tests that run the samples stay fast.
 */
final class Scale {
  private Scale() {}

  static Duration seconds(double seconds) {
    double scale = Double.parseDouble(System.getProperty("aionet.samples.scale", "1"));
    return Duration.ofNanos((long) (seconds * scale * 1_000_000_000L));
  }
}
