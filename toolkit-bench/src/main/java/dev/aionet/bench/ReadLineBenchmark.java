package dev.aionet.bench;

import dev.aionet.core.Promise;
import dev.aionet.streams.StreamReader;
import io.netty.handler.codec.LineBasedFrameDecoder;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * {@code StreamReader.readLine()} over 1 MB of buffered 100-byte lines (received in 16 KiB
 * buffers, so some lines span two), beside Netty's {@code LineBasedFrameDecoder} over the same
 * buffers with each frame copied to a {@code byte[]}. One operation is one line.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(ReadLineBenchmark.LINES)
public class ReadLineBenchmark extends LoopBenchmark {
  static final int LINES = 10_000;
  static final int LINE = 100;
  private static final byte[] DATA = lines();

  private long bytes;

  @Benchmark
  public long aionetReadLine() {
    return onLoop(() -> {
      StreamReader reader = BufferedStream.reader(DATA);
      long total = 0;
      for (int i = 0; i < LINES; i++) {
        total += reader.readLine().result().length; // buffered: each read completes at once
      }
      check(total == DATA.length, total + " of " + DATA.length + " bytes read as lines");
      return Promise.completed(total);
    });
  }

  @Benchmark
  public long nettyLineBasedFrameDecoder() {
    return onLoop(() -> {
      bytes = 0;
      // stripDelimiter=false: a frame ends with its newline, as readLine's result does.
      BufferedStream.decode(DATA, new LineBasedFrameDecoder(65_536, false, true), line -> bytes += line.length);
      check(bytes == DATA.length, bytes + " of " + DATA.length + " bytes decoded as lines");
      return Promise.completed(bytes);
    });
  }

  private static byte[] lines() {
    byte[] data = new byte[LINES * LINE];
    Arrays.fill(data, (byte) 'x');
    for (int i = LINE - 1; i < data.length; i += LINE) {
      data[i] = '\n';
    }
    return data;
  }
}
