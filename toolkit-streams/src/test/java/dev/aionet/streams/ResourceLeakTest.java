package dev.aionet.streams;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.aionet.core.Aio;
import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9's resource checks: after 1,000 connections opened and closed, and the loop closed,
 * the process has as many open file descriptors as before (Vert.x FileDescriptorLeakDetectorRule)
 * and none of the loop's threads is left.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ResourceLeakTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int CONNECTIONS = 1000;
  private static final int BATCH = 100;

  private static int openFileDescriptors() {
    String[] fds = new File("/proc/self/fd").list();
    return fds == null ? -1 : fds.length;
  }

  /** Opens, uses and closes {@code count} connections, {@link #BATCH} at a time, on a fresh loop. */
  private static void exercise(Transport transport, int count) {
    try (TestLoop t = TestLoop.create(transport, 2)) {
      Server server = t.run(() -> Streams.startServer(Echo::echo, "127.0.0.1", 0));
      for (int done = 0; done < count; done += BATCH) {
        t.run(() -> {
          List<Promise<byte[]>> batch = new ArrayList<>();
          for (int i = 0; i < BATCH; i++) {
            batch.add(Streams.openConnection("127.0.0.1", server.port()).thenCompose(c -> {
              c.writer().write("ping\n", US_ASCII);
              return c.reader().readLine().thenCompose(line -> {
                c.writer().close();
                return c.writer().waitClosed().thenApply(x -> line);
              });
            }));
          }
          return Aio.gather(batch);
        });
      }
      server.shutdown(WAIT).join(WAIT);
      assertThat(server.connectionCount()).isZero();
    }
  }

  private static Set<Thread> liveThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).collect(Collectors.toSet());
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aThousandConnectionsGiveBackEveryFileDescriptorAndThread(Transport transport) throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs Linux /proc");
    exercise(transport, BATCH); // warm-up: native libraries, class loading, lazy JDK descriptors
    Set<Thread> threadsBefore = liveThreads();
    int fdsBefore = openFileDescriptors();
    assertThat(fdsBefore).as("/proc/self/fd readable").isPositive();

    exercise(transport, CONNECTIONS);

    int fdsAfter = openFileDescriptors();
    long deadline = System.nanoTime() + WAIT.toNanos();
    List<Thread> extra;
    do { // Netty's global executor lingers for about 1 s after its last task: poll with a deadline
      extra = liveThreads().stream().filter(th -> !threadsBefore.contains(th)).toList();
    } while (!extra.isEmpty() && System.nanoTime() < deadline && waitBriefly(extra.get(0)));
    assertThat(extra).as("threads left after Loop.close()").isEmpty();
    assertThat(fdsAfter).as("open file descriptors after %d connections", CONNECTIONS)
        .isLessThanOrEqualTo(fdsBefore + 2);
  }

  private static boolean waitBriefly(Thread th) throws InterruptedException {
    th.join(100);
    return true;
  }
}
