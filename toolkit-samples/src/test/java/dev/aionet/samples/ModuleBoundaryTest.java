package dev.aionet.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.testing.InternalUse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The samples teach the public API: they use no type of any aionet {@code internal} package. */
@Timeout(60)
class ModuleBoundaryTest {

  @Test
  void theSamplesUseNoInternalType() {
    InternalUse use = InternalUse.of("dev.aionet.samples", InternalUse.INTERNAL_PACKAGES);
    assertThat(use.differencesFrom(Map.of(), "nothing: the samples use the public API only")).isEmpty();
  }
}
