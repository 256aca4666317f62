package dev.aionet.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What an {@link EchoSoak} run counted, and its verdict: it passes when no well-behaved client saw
 * a wrong or missing byte (or any error), every client thread finished, the server counted every
 * connection out, and the resident set grew by less than the bound. Counters are thread-safe.
 */
public final class SoakReport {
  private final Map<SoakClient.Fate, LongAdder> connections = new EnumMap<>(SoakClient.Fate.class);
  private final Map<String, LongAdder> clientErrors = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> serverErrors = new ConcurrentHashMap<>();
  private final LongAdder requests = new LongAdder();
  private final LongAdder bytesVerified = new LongAdder();
  private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
  private volatile String target = "?";
  private volatile long seconds;
  private volatile long rssBeforeKib = -1;
  private volatile long rssStartKib = -1;
  private volatile long rssPeakKib = -1;
  private volatile long rssEndKib = -1;
  private volatile long directBytes = -1;
  private volatile long heapBytes = -1;
  private volatile long rssBoundKib;
  private volatile int connectionsLeft = -1;

  SoakReport() {
    for (SoakClient.Fate fate : SoakClient.Fate.values()) {
      connections.put(fate, new LongAdder());
    }
  }

  void connection(SoakClient.Fate fate) {
    connections.get(fate).increment();
  }

  void request(int bytes) {
    requests.increment();
    bytesVerified.add(bytes);
  }

  void clientError(SoakClient.Fate fate, Throwable error) {
    clientErrors.computeIfAbsent(fate.label() + ": " + error.getClass().getSimpleName(), k -> new LongAdder()).increment();
  }

  void serverError(String type) {
    serverErrors.computeIfAbsent(type, k -> new LongAdder()).increment();
  }

  /** A well-behaved client's wrong or missing byte, or any other reason to fail the run. */
  void failure(String what) {
    if (failures.size() < 1000) {
      failures.add(what);
    }
  }

  void target(String target, long seconds) {
    this.target = target;
    this.seconds = seconds;
  }

  /**
   * Records the resident set: before the load, after the warm-up (the baseline of the bound), the
   * peak, and at the end.
   */
  void rss(long beforeKib, long startKib, long peakKib, long endKib, long boundKib) {
    this.rssBeforeKib = beforeKib;
    this.rssStartKib = startKib;
    this.rssPeakKib = peakKib;
    this.rssEndKib = endKib;
    this.rssBoundKib = boundKib;
  }

  /** Records Netty's pooled direct memory in use and the JVM heap in use at the end. */
  void memory(long directBytes, long heapBytes) {
    this.directBytes = directBytes;
    this.heapBytes = heapBytes;
  }

  void connectionsLeft(int n) {
    this.connectionsLeft = n;
  }

  /** Requests well-behaved clients completed and verified. */
  public long requests() {
    return requests.sum();
  }

  /** Bytes echoed back and compared. */
  public long bytesVerified() {
    return bytesVerified.sum();
  }

  /** Connections opened by clients of {@code fate}. */
  public long connections(SoakClient.Fate fate) {
    return connections.get(fate).sum();
  }

  /** Why the run failed; empty when it passed. */
  public List<String> failures() {
    List<String> all = new ArrayList<>(failures);
    if (rssStartKib >= 0 && rssEndKib - rssStartKib > rssBoundKib) {
      all.add("RSS grew by " + (rssEndKib - rssStartKib) / 1024 + " MiB, bound " + rssBoundKib / 1024 + " MiB");
    }
    if (connectionsLeft > 0) {
      all.add(connectionsLeft + " server connections still open after every client finished");
    }
    return all;
  }

  /** Whether the run passed. */
  public boolean passed() {
    return failures().isEmpty();
  }

  private static Map<String, Long> sorted(Map<String, LongAdder> counts) {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    b.append("EchoSoak: ").append(seconds).append(" s against ").append(target).append('\n');
    b.append("requests served: ").append(requests()).append(", bytes verified: ").append(bytesVerified()).append('\n');
    b.append("connections by fate:");
    connections.forEach((fate, n) -> b.append(' ').append(fate.label()).append('=').append(n.sum()));
    b.append('\n');
    b.append("client errors by type: ").append(sorted(clientErrors)).append('\n');
    b.append("server errors by type: ").append(serverErrors.isEmpty() && target.contains("external")
        ? "(external server: not visible)" : sorted(serverErrors)).append('\n');
    if (connectionsLeft >= 0) {
      b.append("server connections open after the clients finished: ").append(connectionsLeft).append('\n');
    }
    if (rssStartKib >= 0) {
      b.append(String.format("server RSS: before load %.1f MiB, after warm-up (start) %.1f MiB, peak %.1f MiB, "
          + "end %.1f MiB; growth start->end %.1f MiB (bound %d MiB)%n", rssBeforeKib / 1024.0, rssStartKib / 1024.0,
          rssPeakKib / 1024.0, rssEndKib / 1024.0, (rssEndKib - rssStartKib) / 1024.0, rssBoundKib / 1024));
    } else {
      b.append("server RSS: not measured (external server without --server-pid)\n");
    }
    if (directBytes >= 0) {
      b.append(String.format("at the end: Netty pooled direct memory in use %.1f MiB, JVM heap in use %.1f MiB%n",
          directBytes / 1048576.0, heapBytes / 1048576.0));
    }
    List<String> failed = failures();
    b.append("result: ").append(failed.isEmpty() ? "PASS" : "FAIL");
    failed.stream().limit(10).forEach(f -> b.append("\n  ").append(f));
    return b.toString();
  }
}
