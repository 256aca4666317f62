package dev.aionet.bench;

import dev.aionet.core.Promise;
import dev.aionet.streams.StreamReader;
import io.netty.handler.codec.FixedLengthFrameDecoder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * {@code StreamReader.readExactly(1024)} over 1 MiB of buffered bytes (received in 16 KiB
 * buffers), beside Netty's {@code FixedLengthFrameDecoder(1024)} over the same buffers with each
 * frame copied to a {@code byte[]}. One operation is one 1024-byte read.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(ReadExactlyBenchmark.READS)
public class ReadExactlyBenchmark extends LoopBenchmark {
  static final int SIZE = 1024;
  static final int READS = 1024;
  private static final byte[] DATA = new byte[SIZE * READS];

  private long bytes;

  @Benchmark
  public long aionetReadExactly() {
    return onLoop(() -> {
      StreamReader reader = BufferedStream.reader(DATA);
      long total = 0;
      for (int i = 0; i < READS; i++) {
        total += reader.readExactly(SIZE).result().length; // buffered: each read completes at once
      }
      check(total == DATA.length, total + " of " + DATA.length + " bytes read");
      return Promise.completed(total);
    });
  }

  @Benchmark
  public long nettyFixedLengthFrameDecoder() {
    return onLoop(() -> {
      bytes = 0;
      BufferedStream.decode(DATA, new FixedLengthFrameDecoder(SIZE), frame -> bytes += frame.length);
      check(bytes == DATA.length, bytes + " of " + DATA.length + " bytes decoded");
      return Promise.completed(bytes);
    });
  }
}
