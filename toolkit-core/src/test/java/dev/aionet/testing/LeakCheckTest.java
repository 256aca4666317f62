package dev.aionet.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The build's leak check itself: a leaked buffer is recorded, so LeakCheckExtension can fail. */
class LeakCheckTest {

  @Test
  void testsRunWithParanoidLeakDetection() {
    assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
  }

  @Test
  void aLeakedBufferIsRecorded() {
    leakOne();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (LeakRecordingDetector.LEAKS.isEmpty() && System.nanoTime() < deadline) {
      System.gc();
      for (int i = 0; i < 100; i++) {
        PooledByteBufAllocator.DEFAULT.directBuffer(8).release();
      }
    }
    try {
      assertThat(LeakRecordingDetector.LEAKS).anyMatch(s -> s.startsWith("LEAK: ByteBuf.release()"));
    } finally {
      LeakRecordingDetector.LEAKS.clear(); // this leak was on purpose
    }
  }

  private static void leakOne() {
    ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(8);
    leaked.writeByte(1);
  }
}
