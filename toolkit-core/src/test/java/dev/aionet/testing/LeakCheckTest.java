package dev.aionet.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The build's leak check itself: a leaked buffer is recorded, so LeakCheckExtension can fail; the
 * leak this test makes on purpose is captured, not logged (a passing build prints no LEAK line).
 */
class LeakCheckTest {
  private static final String LEAK_SITE = LeakCheckTest.class.getName() + ".leakOne(";

  @Test
  void testsRunWithParanoidLeakDetection() {
    assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
  }

  @Test
  void aLeakedBufferIsRecordedAndItsExpectedReportIsNotLogged() {
    Logger detectorLog = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    detectorLog.addAppender(logged);
    LeakRecordingDetector.EXPECTED_SITES.add(LEAK_SITE);
    try {
      leakOne();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (LeakRecordingDetector.LEAKS.stream().noneMatch(s -> s.contains(LEAK_SITE)) && System.nanoTime() < deadline) {
        System.gc();
        for (int i = 0; i < 100; i++) {
          PooledByteBufAllocator.DEFAULT.directBuffer(8).release();
        }
      }
      assertThat(LeakRecordingDetector.LEAKS)
          .anyMatch(s -> s.startsWith("LEAK: ByteBuf.release()") && s.contains(LEAK_SITE));
      assertThat(logged.list).noneMatch(e -> e.getFormattedMessage().contains(LEAK_SITE));
    } finally {
      LeakRecordingDetector.LEAKS.removeIf(s -> s.contains(LEAK_SITE)); // this leak was on purpose
      LeakRecordingDetector.EXPECTED_SITES.remove(LEAK_SITE);
      detectorLog.detachAppender(logged);
    }
  }

  private static void leakOne() {
    ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(8);
    leaked.writeByte(1);
  }
}
