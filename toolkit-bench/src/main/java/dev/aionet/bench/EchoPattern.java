package dev.aionet.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * The bytes the load generator sends: an endless stream in which the byte at position {@code p}
 * is {@code PATTERN[p % PERIOD]}, pseudo-random with a fixed seed and a prime period, so that a
 * lost, duplicated, reordered or stale chunk of an echo never matches by chance. A ping-pong
 * request is {@code size} bytes taken from a position that changes with every request.
 *
 * <p>The {@code ByteBuffer} methods use no Netty class, so a client on plain {@code java.nio}
 * ({@link OpenLoopLoad}) checks the same bytes without loading Netty.
 */
final class EchoPattern {
  /** A prime: no message size or read size divides it. */
  static final int PERIOD = 65_521;

  private static final byte[] BYTES = new byte[PERIOD];

  static {
    new SplittableRandom(0x5eed_a10e7L).nextBytes(BYTES);
  }

  /** The pattern as a Netty buffer, made on first use only (see the class comment). */
  private static final class NettyView {
    static final ByteBuf VIEW = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(BYTES));
  }

  private EchoPattern() {}

  /** The stream position where ping-pong request {@code request} of a connection starts. */
  static long requestPosition(int connection, long request) {
    return connection * 7_919L + request * 104_729L;
  }

  /** Returns a new buffer with the {@code length} pattern bytes from {@code position}. */
  static ByteBuf copy(ByteBufAllocator alloc, long position, int length) {
    ByteBuf buf = alloc.ioBuffer(length);
    firstMismatch(position, length, (done, start, n) -> {
      buf.writeBytes(BYTES, start, n);
      return -1;
    });
    return buf;
  }

  /**
   * Returns the offset in {@code in}'s readable bytes of the first byte that differs from the
   * pattern at {@code position}, or -1 when all of them match.
   */
  static int firstMismatch(ByteBuf in, long position) {
    int base = in.readerIndex();
    return firstMismatch(position, in.readableBytes(), (done, start, n) -> {
      if (ByteBufUtil.equals(in, base + done, NettyView.VIEW, start, n)) {
        return -1;
      }
      int i = 0;
      while (in.getByte(base + done + i) == BYTES[start + i]) {
        i++;
      }
      return i;
    });
  }

  /**
   * Returns the offset in {@code in}'s remaining bytes of the first byte that differs from the
   * pattern at {@code position}, or -1 when all of them match; {@code in}'s position is unchanged.
   */
  static int firstMismatch(ByteBuffer in, long position) {
    int base = in.position();
    return firstMismatch(position, in.remaining(), (done, start, n) ->
        in.slice(base + done, n).mismatch(ByteBuffer.wrap(BYTES, start, n)));
  }

  /**
   * Walks the pattern from {@code position} for {@code length} bytes in runs that do not wrap
   * around the period, and returns the first mismatch a run reports, or -1.
   */
  private static int firstMismatch(long position, int length, Run run) {
    int done = 0;
    while (done < length) {
      int start = (int) ((position + done) % PERIOD);
      int n = Math.min(length - done, PERIOD - start);
      int at = run.mismatch(done, start, n);
      if (at >= 0) {
        return done + at;
      }
      done += n;
    }
    return -1;
  }

  /** One run of the pattern: bytes {@code done...done + n} of the caller's, pattern bytes {@code start...}. */
  private interface Run {
    /** The offset in this run of the first mismatch, or -1. */
    int mismatch(int done, int start, int n);
  }

  /** The pattern byte at {@code position}. */
  static byte at(long position) {
    return BYTES[(int) (position % PERIOD)];
  }

  /**
   * Returns a view of the {@code length} pattern bytes from {@code position}, at most up to the
   * end of the period (the rest follows at the next call), in direct memory, for a channel write.
   */
  static ByteBuffer slice(long position, int length) {
    int start = (int) (position % PERIOD);
    return Direct.BYTES.slice(start, Math.min(length, PERIOD - start));
  }

  /** The pattern in direct memory (a socket write of a heap buffer copies it first), made on first use. */
  private static final class Direct {
    static final ByteBuffer BYTES = ByteBuffer.allocateDirect(PERIOD).put(EchoPattern.BYTES).flip().asReadOnlyBuffer();
  }
}
