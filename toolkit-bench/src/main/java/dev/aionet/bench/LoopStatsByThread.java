package dev.aionet.bench;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One {@link LoopStats} per thread of the load generator's group, so that recording a request
 * never synchronizes; {@link #onEachThread} runs an action on every thread over its own stats.
 */
final class LoopStatsByThread {
  private final Map<EventExecutor, LoopStats> stats = new IdentityHashMap<>();

  LoopStatsByThread(EventLoopGroup group) {
    for (EventExecutor executor : group) {
      stats.put(executor, new LoopStats());
    }
  }

  LoopStats of(EventExecutor executor) {
    LoopStats s = stats.get(executor);
    if (s == null) {
      throw new IllegalStateException("not a thread of the load generator: " + executor);
    }
    return s;
  }

  /** Runs {@code action} on each thread over its stats and waits for all of them. */
  void onEachThread(Consumer<LoopStats> action) {
    List<Future<?>> done = new ArrayList<>();
    stats.forEach((executor, s) -> done.add(executor.submit(() -> action.accept(s))));
    done.forEach(Future::syncUninterruptibly);
  }

  /** Sums the stats of every thread (call after {@link #onEachThread} stopped them). */
  LoopStats total() {
    LoopStats sum = new LoopStats();
    for (LoopStats s : stats.values()) {
      sum.requests += s.requests;
      sum.bytes += s.bytes;
      sum.latencyNanos.add(s.latencyNanos);
    }
    return sum;
  }
}
