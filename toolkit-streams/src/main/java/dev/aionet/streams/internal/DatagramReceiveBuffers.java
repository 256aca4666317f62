package dev.aionet.streams.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.DefaultMaxMessagesRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;

/**
 * Receive buffers for a UDP channel that fit the largest datagram without allocating that much
 * per datagram: each read gets a slice of {@code slot} bytes of a larger pooled chunk, starting
 * where the previous datagram's bytes ended, so small datagrams pack densely and one chunk serves
 * many reads.
 *
 * <pre>
 *   chunk (16 slots):  [dgram 1][dgram 2][dgram 3][ slot for the next read ..... ]   ...   ]
 *                                                 └─ offset: where the last read ended
 * </pre>
 *
 * <p>Netty's own choice is a fixed 2,048-byte buffer, which truncates longer datagrams silently
 * (netty#7372); a fixed buffer of the largest size (64 KiB) never truncates but costs a 64 KiB
 * allocation per datagram. Each slice holds a reference to its chunk, so a chunk is freed once
 * the channel moved on to the next one and the last slice of it was released; the channel's own
 * reference to the current chunk is dropped by {@link #release()} when the channel closes. One
 * allocator serves one channel.
 */
final class DatagramReceiveBuffers extends DefaultMaxMessagesRecvByteBufAllocator {
  /** Slots per chunk: a chunk of the largest datagrams is then about 1 MiB. */
  private static final int SLOTS_PER_CHUNK = 16;

  private final int slot;
  /** The handle of the one channel this allocator serves. */
  private Slices handle;

  /**
   * Creates the allocator.
   *
   * @param slot the bytes each read may fill: one more than the largest datagram
   * @param readsPerBurst datagrams read per read burst
   */
  DatagramReceiveBuffers(int slot, int readsPerBurst) {
    super(readsPerBurst);
    this.slot = slot;
  }

  @Override
  public RecvByteBufAllocator.Handle newHandle() {
    handle = new Slices(); // once: the channel keeps the handle it got
    return handle;
  }

  /** Drops the channel's reference to its current chunk (when it closes). Its event loop. */
  void release() {
    if (handle != null) {
      handle.releaseChunk();
    }
  }

  /** One channel's chunk and position in it; used on the channel's event loop only. */
  private final class Slices extends MaxMessageHandle {
    private ByteBuf chunk;
    private int offset;
    /** The slice handed out last: its writer index tells how much of it the read filled. */
    private ByteBuf last;

    @Override
    public ByteBuf allocate(ByteBufAllocator alloc) {
      if (last != null) {
        offset += last.writerIndex(); // a plain field: readable even once the slice was released
        last = null;
      }
      if (chunk == null || chunk.capacity() - offset < slot) {
        releaseChunk();
        chunk = alloc.directBuffer(slot * SLOTS_PER_CHUNK);
        offset = 0;
      }
      last = chunk.retainedSlice(offset, slot).clear();
      return last;
    }

    @Override
    public int guess() {
      return slot;
    }

    void releaseChunk() {
      if (chunk != null) {
        chunk.release();
        chunk = null;
        last = null;
      }
    }
  }
}
