package dev.aionet.test.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears Netty's {@code ByteBuf} leak reports, so a test that leaked a buffer can be failed.
 *
 * <p>Netty reports a leak only when a buffer it tracks is garbage-collected unreleased and a later
 * tracked allocation polls its reference queue; {@link #drain()} therefore collects garbage and
 * allocates a few tracked buffers before it reads the reports. The detector of {@code ByteBuf}s is
 * not public in Netty, so it is reached by reflection (which works on the class path); the listener
 * keeps any listener set before it. Leak detection is raised to {@code PARANOID}, so every buffer
 * is tracked, not one in 128.
 */
public final class LeakWatch {
  private static final Logger log = LoggerFactory.getLogger(LeakWatch.class);
  private static final ConcurrentLinkedQueue<String> LEAKS = new ConcurrentLinkedQueue<>();
  private static final boolean INSTALLED = install();

  private LeakWatch() {}

  /** Whether leaks can be heard (false where Netty's detector cannot be reached). */
  public static boolean installed() {
    return INSTALLED;
  }

  /** Collects garbage, lets Netty report what leaked, and returns (and forgets) the reports. */
  public static List<String> drain() {
    if (INSTALLED) {
      for (int round = 0; round < 2; round++) {
        collectGarbage();
        List<ByteBuf> probes = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
          probes.add(PooledByteBufAllocator.DEFAULT.directBuffer(8));
          probes.add(UnpooledByteBufAllocator.DEFAULT.heapBuffer(8));
        }
        probes.forEach(ByteBuf::release);
      }
    }
    List<String> reports = new ArrayList<>();
    String r;
    while ((r = LEAKS.poll()) != null) {
      reports.add(r);
    }
    return reports;
  }

  /**
   * Runs a garbage collection and waits (up to 1 s) until the JVM has handed its cleared
   * references over, which it does on another thread: a sentinel cleared by the same collection
   * arriving on its queue says the leaked buffers' references have been handed over too.
   */
  private static void collectGarbage() {
    ReferenceQueue<Object> cleared = new ReferenceQueue<>();
    WeakReference<Object> sentinel = new WeakReference<>(new Object(), cleared);
    System.gc();
    try {
      if (cleared.remove(1000) == null) {
        log.debug("no garbage collection cleared the sentinel {} within 1 s", sentinel);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean install() {
    try {
      if (ResourceLeakDetector.getLevel().ordinal() < ResourceLeakDetector.Level.PARANOID.ordinal()) {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
      }
      Field detectorField = Class.forName("io.netty.buffer.AbstractByteBuf").getDeclaredField("leakDetector");
      detectorField.setAccessible(true);
      ResourceLeakDetector<?> detector = (ResourceLeakDetector<?>) detectorField.get(null);
      Field listenerField = ResourceLeakDetector.class.getDeclaredField("leakListener");
      listenerField.setAccessible(true);
      ResourceLeakDetector.LeakListener previous = (ResourceLeakDetector.LeakListener) listenerField.get(detector);
      detector.setLeakListener((resourceType, records) -> {
        LEAKS.add("LEAK: " + resourceType + ".release() was not called before it was garbage-collected."
            + (records.isEmpty() ? "" : records));
        if (previous != null) {
          previous.onLeak(resourceType, records);
        }
      });
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.warn("aionet test kit: Netty's ByteBuf leak detector cannot be reached ({}); leaked buffers will not"
          + " fail tests", e.toString());
      return false;
    }
  }
}
