package dev.aionet.streams.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import dev.aionet.core.internal.LoopThread;
import dev.aionet.core.internal.PromiseImpl;
import dev.aionet.streams.TestLoop;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.vm.VM;

/**
 * What a read of bytes already received allocates: its result and one settled promise, nothing
 * more (no pending read, no wrapper), counted with the JVM's per-thread allocation counter. The
 * seed's echo loop makes such a read eleven times per 1 KiB request.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReadAllocationTest {
  private static final int READS = 10_000;
  private static final int SIZE = 100;
  /** As a socket delivers a 1,000-byte request. */
  private static final int ARRIVAL = 1_000;

  private static long allocatedByThisThread() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  @Test
  void aReadOfBufferedBytesAllocatesItsBytesAndOnePromise() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      long perRead = t.run(() -> {
        long fewest = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) { // the first rounds run before the code is compiled
          fewest = Math.min(fewest, bytesPerRead(reader -> reader.read(SIZE).result().length));
        }
        return Promise.completed(fewest);
      });
      // the result (a byte[100]: 120 bytes with compressed oops) and one settled promise (24);
      // a pending read object in the promise's place would be 8 bytes more
      long bytesAndPromise = VM.current().sizeOf(new byte[SIZE])
          + ClassLayout.parseClass(PromiseImpl.class).instanceSize();
      assertThat(perRead).as("bytes allocated per read(100) of buffered bytes").isLessThanOrEqualTo(bytesAndPromise);
    }
  }

  /** Feeds READS x SIZE bytes to a new reader, then reads them with {@code read}; returns bytes allocated per read. */
  private static long bytesPerRead(ReadOne read) {
    EmbeddedChannel ch = new EmbeddedChannel();
    // a limit above what is fed: reading is never paused or resumed during the count
    StreamReaderImpl reader = StreamAdapter.install(ch, LoopThread.require(), 4 * READS * SIZE).reader();
    byte[] data = new byte[READS * SIZE];
    for (int offset = 0; offset < data.length; offset += ARRIVAL) {
      ch.writeInbound(Unpooled.wrappedBuffer(data, offset, ARRIVAL));
    }
    long before = allocatedByThisThread();
    long total = 0;
    for (int i = 0; i < READS; i++) {
      total += read.bytes(reader);
    }
    long allocated = allocatedByThisThread() - before;
    assertThat(total).isEqualTo(data.length);
    ch.finishAndReleaseAll();
    return allocated / READS;
  }

  /** One read; returns how many bytes it gave. */
  private interface ReadOne {
    int bytes(StreamReaderImpl reader);
  }
}
