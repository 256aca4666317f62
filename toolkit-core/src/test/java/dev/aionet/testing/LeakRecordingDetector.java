package dev.aionet.testing;

import io.netty.util.ResourceLeakDetector;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Netty's leak detector, recording each leak report so {@link LeakCheckExtension} can fail the
 * test class that leaked. Installed with {@code -Dio.netty.customResourceLeakDetector=...} (root
 * pom), beside {@code -Dio.netty.leakDetection.level=paranoid}.
 *
 * @param <T> the tracked resource type
 */
public final class LeakRecordingDetector<T> extends ResourceLeakDetector<T> {
  static final List<String> LEAKS = new CopyOnWriteArrayList<>();

  public LeakRecordingDetector(Class<?> resourceType, int samplingInterval) {
    super(resourceType, samplingInterval);
  }

  public LeakRecordingDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
    super(resourceType, samplingInterval);
  }

  @Override
  protected void reportTracedLeak(String resourceType, String records) {
    LEAKS.add("LEAK: " + resourceType + ".release() was not called before it's garbage-collected." + records);
    super.reportTracedLeak(resourceType, records);
  }

  @Override
  protected void reportUntracedLeak(String resourceType) {
    LEAKS.add("LEAK: " + resourceType + ".release() was not called before it's garbage-collected.");
    super.reportUntracedLeak(resourceType);
  }
}
