package dev.aionet.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import dev.aionet.streams.internal.DatagramEndpointImpl;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A receiver that does not call {@code receive()} holds at most {@code receiveQueue} datagrams,
 * however many arrive; the rest are counted by {@code dropped()} and the heap stays flat.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DatagramReceiveQueueTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int DATAGRAMS = 100_000;
  private static final int SIZE = 1_000;
  /** Sent before each check that aionet saw them all: few enough for the kernel's receive buffer. */
  private static final int BATCH = 50;

  private static long usedHeapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.Loopbacks#transportsAndFamilies")
  void aReceiverThatNeverReceivesKeepsTheFirstReceiveQueueDatagramsAndCountsTheRest(Transport transport, String host) {
    try (TestLoop t = TestLoop.create(transport)) {
      DatagramEndpoint receiver = t.run(() -> Datagrams.bind(host, 0));
      DatagramEndpoint sender = t.run(() -> Datagrams.bind(host, 0));
      DatagramEndpointImpl impl = (DatagramEndpointImpl) receiver;
      int capacity = DatagramOptions.defaults().receiveQueue();
      long heapBefore = usedHeapAfterGc();
      for (int sent = 0; sent < DATAGRAMS; ) {
        int batch = Math.min(BATCH, DATAGRAMS - sent);
        int first = sent;
        t.run(() -> {
          for (int i = 0; i < batch; i++) {
            sender.send(ByteBuffer.allocate(SIZE).putInt(first + i).array(), receiver.localAddress());
          }
          return sender.drain();
        });
        sent += batch;
        awaitSeen(t, impl, sent);
      }
      long heapGrowth = usedHeapAfterGc() - heapBefore;
      assertThat(t.run(() -> Promise.completed(impl.queued()))).isEqualTo(capacity);
      assertThat(receiver.dropped()).isEqualTo(DATAGRAMS - capacity);
      // 100,000 x 1,000 bytes kept would be 100 MB; the queue holds 1 MB.
      assertThat(heapGrowth).as("heap growth in bytes").isLessThan(32L << 20);
      for (int i = 0; i < capacity; i++) {
        Datagram d = receiver.receive().join(WAIT);
        assertThat(ByteBuffer.wrap(d.data()).getInt()).as("the oldest are kept").isEqualTo(i);
      }
      receiver.close();
      sender.close();
    }
  }

  /** Waits until every datagram sent so far was queued or dropped (none is lost on loopback). */
  private static void awaitSeen(TestLoop t, DatagramEndpointImpl impl, int sent) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (t.run(() -> Promise.completed(impl.queued())) + impl.dropped() < sent) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("aionet saw only " + (impl.dropped() + t.run(() -> Promise.completed(impl.queued())))
            + " of " + sent + " datagrams");
      }
      Thread.onSpinWait();
    }
  }
}
