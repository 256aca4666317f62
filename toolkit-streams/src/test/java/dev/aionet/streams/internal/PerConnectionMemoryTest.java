package dev.aionet.streams.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.aionet.core.Aio;
import dev.aionet.core.Promise;
import dev.aionet.core.Task;
import dev.aionet.core.Transport;
import dev.aionet.core.internal.LoopCore;
import dev.aionet.core.internal.LoopThread;
import dev.aionet.core.internal.TaskImpl;
import dev.aionet.streams.Connection;
import dev.aionet.streams.Server;
import dev.aionet.streams.StreamReader;
import dev.aionet.streams.StreamWriter;
import dev.aionet.streams.Streams;
import dev.aionet.streams.TestLoop;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.vm.VM;

/**
 * What one idle connection costs the server in aionet's own objects, pinned with JOL so that a
 * field or an object added per connection fails here rather than in a benchmark run weeks later
 * (BENCHMARKS.md, "Idle memory per connection": the table of aionet's objects per idle
 * connection, measured there with a class histogram of 2,000 idle connections).
 *
 * <p>The figures hold for a 64-bit HotSpot JVM with compressed oops, 12-byte object headers and
 * 8-byte alignment (the defaults up to a 32 GB heap); on any other layout the tests are skipped.
 * A failure prints the class's layout: if the new field is worth its bytes on every idle
 * connection, update the figure here and in BENCHMARKS.md together.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PerConnectionMemoryTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  /** The server's record of one connection (its list link, close listener and task listener). */
  private static final String CONNECTION_RECORD = "dev.aionet.streams.internal.ServerImpl$Connection";

  @BeforeAll
  static void onlyOnTheLayoutTheFiguresAreFor() {
    HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    assumeTrue(hotspot != null && "true".equals(hotspot.getVMOption("UseCompressedOops").getValue()),
        "needs compressed oops");
    assumeTrue(VM.current().addressSize() == 8 && VM.current().objectHeaderSize() == 12
        && VM.current().objectAlignment() == 8, () -> "needs the default 64-bit layout: " + VM.current().details());
  }

  // ------------------------------------------------------------------ one object at a time

  /** A shallow size, and the field count that a new field in the padding would still change. */
  private static void assertLayout(Class<?> type, long bytes, int fields) {
    ClassLayout layout = ClassLayout.parseClass(type);
    assertThat(layout.instanceSize()).as("bytes of %s:%n%s", type.getName(), layout.toPrintable()).isEqualTo(bytes);
    assertThat(layout.fields()).as("instance fields of %s:%n%s", type.getName(), layout.toPrintable()).hasSize(fields);
  }

  @Test
  void aTaskIs48Bytes() {
    assertLayout(TaskImpl.class, 48, 8);
  }

  @Test
  void aStreamReaderIs48Bytes() {
    assertLayout(StreamReaderImpl.class, 48, 12);
  }

  @Test
  void aPendingReadIs32Bytes() {
    // the read an idle echo handler waits in: read(n)
    assertLayout(Reads.Read.class, 32, 5);
  }

  @Test
  void aStreamWriterIs56Bytes() {
    // 48 B until the lingering close's per-writer timeout (an int) pushed it past the alignment;
    // the count of bytes written without a promise (an int) took the next 4
    assertLayout(StreamWriterImpl.class, 56, 12);
  }

  @Test
  void aStreamAdapterIs24Bytes() {
    assertLayout(StreamAdapter.class, 24, 6); // the read-burst turn flag (Loop.stats()) fills the last padding byte
  }

  @Test
  void aMessageReaderIs48Bytes() {
    // a message connection's reader, a ReceiveQueue with its flow control: the size it had with a
    // queue of its own, the hooks of the shared queue being methods rather than fields
    assertLayout(MessageReaderImpl.class, 48, 10);
  }

  @Test
  void aMessageAdapterIs32Bytes() {
    assertLayout(MessageAdapter.class, 32, 7); // the read-burst turn flag fills a padding byte
  }

  @Test
  void theServersRecordOfAConnectionIs32Bytes() throws ClassNotFoundException {
    assertLayout(Class.forName(CONNECTION_RECORD), 32, 8);
  }

  // ------------------------------------------------------------------ one real idle connection

  /**
   * The sample echo server's handler (EchoServer.echo in toolkit-samples, the one the idle
   * memory benchmark serves with): a repeatWhile of read, then write and drain.
   */
  private static Promise<Void> echo(StreamReader reader, StreamWriter writer) {
    return Aio.repeatWhile(() -> reader.read(65_536).thenCompose(data -> {
      if (data.length == 0) {
        return Promise.completed(false);
      }
      writer.write(data);
      return writer.drain().thenApply(x -> true);
    })).thenCompose(x -> {
      writer.close();
      return writer.waitClosed();
    });
  }

  @Test
  void anIdleEchoConnectionHoldsTheseAionetObjectsAndNoMore() throws Exception {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      List<Task<?>> handlers = new CopyOnWriteArrayList<>();
      List<StreamWriter> writers = new CopyOnWriteArrayList<>();
      Server server = t.run(() -> Streams.startServer((reader, writer) -> {
        handlers.add(Aio.currentTask().orElseThrow());
        writers.add(writer);
        return echo(reader, writer);
      }, "127.0.0.1", 0));
      // Two connections, each checked with one echoed line (as the benchmark's idle mode does):
      // what both reach is shared (the loop, the server, per-loop constants), not per connection.
      Connection first = echoedOnce(t, server);
      Connection second = echoedOnce(t, server);
      assertThat(handlers).hasSize(2);

      // Read on the connection's own loop thread, where its state lives.
      Set<Object> a = writers.get(0).channel().eventLoop().submit(() -> reachable(handlers.get(0))).get();
      Set<Object> b = writers.get(1).channel().eventLoop().submit(() -> reachable(handlers.get(1))).get();
      Map<String, Long> bytes = new TreeMap<>();
      long total = 0;
      for (Object o : a) {
        if (!b.contains(o)) {
          long size = instanceSize(o.getClass());
          bytes.merge(className(o.getClass()), size, Long::sum);
          total += size;
        }
      }

      // BENCHMARKS.md's table, "after" column: the server's record 32, task 48, pending read 32,
      // reader 48, writer 48, adapter 24, the handler's chain (two thenCompose and the
      // repeatWhile) 120, the handler's three lambdas 56 (user code, here copied from the sample).
      assertThat(bytes).as("aionet objects of one idle connection, bytes by class").containsOnlyKeys(
          "dev.aionet.core.internal.Derived$Compose",
          "dev.aionet.core.internal.RepeatWhile",
          "dev.aionet.core.internal.TaskImpl",
          "dev.aionet.streams.internal.PerConnectionMemoryTest$$Lambda",
          CONNECTION_RECORD,
          "dev.aionet.streams.internal.StreamAdapter",
          "dev.aionet.streams.internal.StreamReaderImpl",
          Reads.Read.class.getName(),
          "dev.aionet.streams.internal.StreamWriterImpl");
      // 408 B before the lingering close's int in the writer (8 B more with the alignment)
      assertThat(total).as("bytes of aionet objects per idle connection: %s", bytes).isEqualTo(416);

      for (Connection c : List.of(first, second)) {
        c.writer().close();
      }
      server.shutdown(WAIT).join(WAIT);
    }
  }

  private static Connection echoedOnce(TestLoop t, Server server) {
    Connection c = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
    c.writer().write("x\n", US_ASCII);
    assertThat(c.reader().readLine().join(WAIT)).isEqualTo("x\n".getBytes(US_ASCII));
    return c;
  }

  /**
   * The bytes of an instance: JOL's layout, or for a lambda (a hidden class, whose field offsets
   * JOL cannot read) header plus captured fields rounded up to the alignment, which is how
   * HotSpot lays out a class with no superclass fields.
   */
  private static long instanceSize(Class<?> type) {
    if (!type.isHidden()) {
      return ClassLayout.parseClass(type).instanceSize();
    }
    long bytes = VM.current().objectHeaderSize();
    for (Field f : type.getDeclaredFields()) {
      if (!Modifier.isStatic(f.getModifiers())) {
        bytes += f.getType().isPrimitive() ? VM.current().sizeOfField(f.getType().getName()) : 4;
      }
    }
    int alignment = VM.current().objectAlignment();
    return (bytes + alignment - 1) / alignment * alignment;
  }

  /** A lambda's class without the JVM's per-run suffix. */
  private static String className(Class<?> type) {
    String name = type.getName();
    int lambda = name.indexOf("$$Lambda");
    return lambda < 0 ? name : name.substring(0, lambda + "$$Lambda".length());
  }

  /**
   * The aionet objects reachable from a connection's handler task through aionet objects only
   * (Netty's and the JDK's objects are raw Netty's cost too, or shared), not entering what
   * belongs to the loop or the server as a whole, nor another connection's task or record.
   */
  private static Set<Object> reachable(Object task) throws IllegalAccessException {
    Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Object> todo = new ArrayDeque<>(List.of(task));
    Object record = null;
    while (!todo.isEmpty()) {
      Object o = todo.pop();
      if (!seen.add(o)) {
        continue;
      }
      for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
        for (Field f : c.getDeclaredFields()) {
          if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
            continue;
          }
          f.setAccessible(true);
          Object next = f.get(o);
          if (next == null || !next.getClass().getName().startsWith("dev.aionet.") || sharedOrForeign(next, task)) {
            continue;
          }
          if (next.getClass().getName().equals(CONNECTION_RECORD)) {
            if (record != null && record != next) {
              continue; // another connection's record (the server's list of connections)
            }
            record = next;
          }
          todo.push(next);
        }
      }
    }
    return seen;
  }

  private static boolean sharedOrForeign(Object o, Object task) {
    return o instanceof LoopThread || o instanceof LoopCore || o instanceof ServerImpl || o instanceof ConnectionRegistry
        || (o instanceof TaskImpl && o != task);
  }
}
