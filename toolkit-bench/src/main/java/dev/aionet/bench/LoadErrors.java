package dev.aionet.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every error of a load run, counted, with the first few messages kept for the report. */
final class LoadErrors {
  private static final Logger log = LoggerFactory.getLogger(LoadErrors.class);
  private static final int KEPT = 10;

  private final AtomicLong count = new AtomicLong();
  private final List<String> first = new ArrayList<>();

  void add(String message) {
    long n = count.incrementAndGet();
    if (n <= KEPT) {
      synchronized (first) {
        first.add(message);
      }
      log.warn("load error: {}", message);
    }
  }

  long count() {
    return count.get();
  }

  List<String> firstMessages() {
    synchronized (first) {
      return List.copyOf(first);
    }
  }
}
