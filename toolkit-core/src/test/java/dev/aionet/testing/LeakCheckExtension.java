package dev.aionet.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class during which Netty reported a leaked {@code ByteBuf}.
 * Auto-registered for every test class through {@code META-INF/services} and
 * {@code junit.jupiter.extensions.autodetection.enabled} (root pom). After the class it forces
 * garbage collection and allocates tracked buffers, since Netty reports a leak only when a later
 * allocation polls its reference queue.
 */
public final class LeakCheckExtension implements AfterAllCallback {

  /**
   * Makes Netty report the leaks of buffers that are garbage now: collects garbage and allocates
   * tracked buffers, a few rounds, stopping once a leak was recorded.
   */
  public static void provokeLeakReports() {
    for (int round = 0; round < 5; round++) {
      System.gc();
      System.runFinalization();
      List<ByteBuf> probes = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        probes.add(PooledByteBufAllocator.DEFAULT.directBuffer(16));
        probes.add(UnpooledByteBufAllocator.DEFAULT.heapBuffer(16));
      }
      probes.forEach(ByteBuf::release);
      if (!LeakRecordingDetector.LEAKS.isEmpty()) {
        break;
      }
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    provokeLeakReports();
    if (!LeakRecordingDetector.LEAKS.isEmpty()) {
      List<String> leaks = new ArrayList<>(LeakRecordingDetector.LEAKS);
      LeakRecordingDetector.LEAKS.clear();
      throw new AssertionError(leaks.size() + " ByteBuf leak(s) reported during "
          + context.getDisplayName() + ":\n" + String.join("\n\n", leaks));
    }
  }
}
