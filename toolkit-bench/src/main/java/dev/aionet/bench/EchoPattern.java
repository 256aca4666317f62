package dev.aionet.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.SplittableRandom;

/**
 * The bytes the load generator sends: an endless stream in which the byte at position {@code p}
 * is {@code PATTERN[p % PERIOD]}, pseudo-random with a fixed seed and a prime period, so that a
 * lost, duplicated, reordered or stale chunk of an echo never matches by chance. A ping-pong
 * request is {@code size} bytes taken from a position that changes with every request.
 */
final class EchoPattern {
  /** A prime: no message size or read size divides it. */
  static final int PERIOD = 65_521;

  private static final byte[] BYTES = new byte[PERIOD];
  private static final ByteBuf VIEW = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(BYTES));

  static {
    new SplittableRandom(0x5eed_a10e7L).nextBytes(BYTES);
  }

  private EchoPattern() {}

  /** The stream position where ping-pong request {@code request} of a connection starts. */
  static long requestPosition(int connection, long request) {
    return connection * 7_919L + request * 104_729L;
  }

  /** Returns a new buffer with the {@code length} pattern bytes from {@code position}. */
  static ByteBuf copy(ByteBufAllocator alloc, long position, int length) {
    ByteBuf buf = alloc.ioBuffer(length);
    int done = 0;
    while (done < length) {
      int start = (int) ((position + done) % PERIOD);
      int n = Math.min(length - done, PERIOD - start);
      buf.writeBytes(BYTES, start, n);
      done += n;
    }
    return buf;
  }

  /**
   * Returns the offset in {@code in}'s readable bytes of the first byte that differs from the
   * pattern at {@code position}, or -1 when all of them match.
   */
  static int firstMismatch(ByteBuf in, long position) {
    int length = in.readableBytes();
    int base = in.readerIndex();
    int done = 0;
    while (done < length) {
      int start = (int) ((position + done) % PERIOD);
      int n = Math.min(length - done, PERIOD - start);
      if (!ByteBufUtil.equals(in, base + done, VIEW, start, n)) {
        for (int i = 0; i < n; i++) {
          if (in.getByte(base + done + i) != BYTES[start + i]) {
            return done + i;
          }
        }
      }
      done += n;
    }
    return -1;
  }

  /** The pattern byte at {@code position}. */
  static byte at(long position) {
    return BYTES[(int) (position % PERIOD)];
  }
}
