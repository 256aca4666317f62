package dev.aionet.testing;

import io.netty.util.ResourceLeakDetector;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Netty's leak detector, recording each leak report so {@link LeakCheckExtension} can fail the
 * test class that leaked. Installed with {@code -Dio.netty.customResourceLeakDetector=...} (root
 * pom), beside {@code -Dio.netty.leakDetection.level=paranoid}. A leak whose records name a
 * frame in {@link #EXPECTED_SITES} (a test that leaks on purpose) is recorded but not logged, so a
 * passing build prints no leak report.
 *
 * @param <T> the tracked resource type
 */
public final class LeakRecordingDetector<T> extends ResourceLeakDetector<T> {
  static final List<String> LEAKS = new CopyOnWriteArrayList<>();
  /** Frames ({@code Class.method(}) of code that leaks on purpose: their leaks are not logged. */
  static final Set<String> EXPECTED_SITES = ConcurrentHashMap.newKeySet();

  public LeakRecordingDetector(Class<?> resourceType, int samplingInterval) {
    super(resourceType, samplingInterval);
  }

  public LeakRecordingDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
    super(resourceType, samplingInterval);
  }

  @Override
  protected void reportTracedLeak(String resourceType, String records) {
    LEAKS.add("LEAK: " + resourceType + ".release() was not called before it's garbage-collected." + records);
    if (EXPECTED_SITES.stream().noneMatch(records::contains)) {
      super.reportTracedLeak(resourceType, records);
    }
  }

  @Override
  protected void reportUntracedLeak(String resourceType) {
    LEAKS.add("LEAK: " + resourceType + ".release() was not called before it's garbage-collected.");
    super.reportUntracedLeak(resourceType);
  }
}
