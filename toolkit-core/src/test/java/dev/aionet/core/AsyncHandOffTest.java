package dev.aionet.core;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/**
 * The async-body tests again with the loop thread not used as the bodies' carrier, as on Java 21
 * to 23 or without {@code --add-opens java.base/java.lang}: the plain hand-off between threads
 * must keep every guarantee. (On Java 17 every run is this one already.)
 */
class AsyncHandOffTest {
  private static final String CARRIER = "dev.aionet.async.carrier";

  @BeforeAll
  static void turnTheCarrierOff() {
    assumeTrue(Runtime.version().feature() >= 24, "the carrier path exists on Java 24+ only");
    System.setProperty(CARRIER, "false");
  }

  @AfterAll
  static void turnTheCarrierBackOn() {
    System.clearProperty(CARRIER);
  }

  @Nested
  class Await extends AsyncAwaitTest {}

  @Nested
  class Cancellation extends AsyncCancellationTest {}

  @Nested
  class Lifetime extends AsyncLifetimeTest {}

  @Nested
  class Composition extends AsyncCompositionTest {}
}
