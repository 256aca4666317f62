package dev.aionet.streams.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * The reader's buffer: the received {@code ByteBuf}s in order, searched and consumed without
 * merging them. Not thread-safe (confined to the connection's loop thread), except
 * {@link #size()}, which any thread may read.
 *
 * <p>The size is written with release stores ({@code lazySet}) rather than volatile stores: on the
 * loop thread it changes with every read, a volatile store costs a fence each time, and the other
 * threads that read it only need a recent value.
 *
 * <p>The chunks live in {@code chunks[head..tail)}. An empty queue holds no array at all: an idle
 * connection's reader costs this object only. The small array of a queue that empties goes to
 * its thread's {@linkplain #SPARE spare}, where the next queue to receive a chunk on that thread
 * takes it: a busy connection's read-then-consume cycle allocates no array either.
 */
class ChunkQueue {
  private static final ByteBuf[] NONE = new ByteBuf[0];
  /** The length of a first array, and of the only arrays kept as a thread's spare. */
  private static final int FIRST_LENGTH = 2;
  /**
   * One empty array of {@link #FIRST_LENGTH} per thread (a loop thread's is a
   * {@code FastThreadLocal} field access): the queues on a loop thread take turns with it, so
   * at most one such array per thread outlives the queue that used it.
   */
  private static final FastThreadLocal<ByteBuf[][]> SPARE = new FastThreadLocal<>() {
    @Override
    protected ByteBuf[][] initialValue() {
      return new ByteBuf[1][];
    }
  };
  private static final AtomicIntegerFieldUpdater<ChunkQueue> SIZE =
      AtomicIntegerFieldUpdater.newUpdater(ChunkQueue.class, "size");

  private ByteBuf[] chunks = NONE;
  private int head;
  private int tail;
  /** Bytes held; written on the loop thread only, through {@link #addSize}. */
  private volatile int size;

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  private void addSize(int delta) {
    SIZE.lazySet(this, size + delta);
  }

  /** Appends {@code chunk}, taking ownership; an empty chunk is released at once. */
  void add(ByteBuf chunk) {
    int n = chunk.readableBytes();
    if (n == 0) {
      chunk.release();
      return;
    }
    if (tail == chunks.length) {
      makeRoom();
    }
    chunks[tail++] = chunk;
    addSize(n);
  }

  /** Makes room at the tail: takes the thread's spare array, slides the chunks to the front, or doubles the array. */
  private void makeRoom() {
    if (chunks.length == 0) { // empty: head and tail are 0 (emptied() and clear() reset them)
      ByteBuf[][] spare = SPARE.get();
      ByteBuf[] array = spare[0];
      spare[0] = null;
      chunks = array != null ? array : new ByteBuf[FIRST_LENGTH];
      return;
    }
    int count = tail - head;
    if (head > 0 && count < chunks.length / 2 + 1) {
      System.arraycopy(chunks, head, chunks, 0, count);
      Arrays.fill(chunks, count, tail, null);
    } else {
      chunks = Arrays.copyOfRange(chunks, head, head + Math.max(FIRST_LENGTH, chunks.length * 2));
    }
    head = 0;
    tail = count;
  }

  /** Puts {@code chunk} back in front (a read whose promise was cancelled meanwhile). */
  void addFirst(ByteBuf chunk) {
    int n = chunk.readableBytes();
    if (n == 0) {
      chunk.release();
      return;
    }
    if (head == 0) {
      if (tail == chunks.length) {
        chunks = Arrays.copyOf(chunks, Math.max(FIRST_LENGTH, chunks.length * 2));
      }
      System.arraycopy(chunks, 0, chunks, 1, tail);
      head = 1;
      tail++;
    }
    chunks[--head] = chunk;
    addSize(n);
  }

  /** Returns the index of the first {@code sep} starting at or after {@code from}, or -1. */
  int indexOf(byte[] sep, int from) {
    int base = 0;
    for (int c = head; c < tail; c++) {
      ByteBuf b = chunks[c];
      int n = b.readableBytes();
      if (from < base + n) {
        int ri = b.readerIndex();
        int i = Math.max(from - base, 0);
        while (i < n) {
          int hit = b.indexOf(ri + i, ri + n, sep[0]);
          if (hit < 0) {
            break;
          }
          int local = hit - ri;
          if (restMatches(c, local + 1, sep)) {
            return base + local;
          }
          i = local + 1;
        }
      }
      base += n;
    }
    return -1;
  }

  /** Whether {@code sep[1..]} follows chunk {@code c}'s relative index {@code i}. */
  private boolean restMatches(int c, int i, byte[] sep) {
    int k = 1;
    while (k < sep.length) {
      if (c >= tail) {
        return false;
      }
      ByteBuf b = chunks[c];
      int n = b.readableBytes();
      int ri = b.readerIndex();
      while (i < n && k < sep.length) {
        if (b.getByte(ri + i) != sep[k]) {
          return false;
        }
        i++;
        k++;
      }
      c++;
      i = 0;
    }
    return true;
  }

  /** Returns the byte at {@code index}. */
  byte byteAt(int index) {
    int base = 0;
    for (int c = head; c < tail; c++) {
      ByteBuf b = chunks[c];
      int n = b.readableBytes();
      if (index < base + n) {
        return b.getByte(b.readerIndex() + index - base);
      }
      base += n;
    }
    throw new IndexOutOfBoundsException(index + " >= " + size);
  }

  /** Removes the first {@code n} bytes into a new array. */
  byte[] readBytes(int n) {
    byte[] out = new byte[n];
    int off = 0;
    while (off < n) {
      ByteBuf b = chunks[head];
      int take = Math.min(b.readableBytes(), n - off);
      b.readBytes(out, off, take);
      off += take;
      dropHeadIfEmpty(b);
    }
    addSize(-n);
    return out;
  }

  /**
   * Removes the first {@code n} bytes as a buffer sharing the received memory (caller releases);
   * bytes from several chunks come in a composite buffer of the first chunk's allocator.
   */
  ByteBuf readRetained(int n) {
    if (n == 0) {
      return Unpooled.EMPTY_BUFFER;
    }
    ByteBuf first = chunks[head];
    if (first.readableBytes() == n) {
      // The whole chunk: handed over as it is (no slice, no reference count change).
      chunks[head++] = null;
      emptied();
      addSize(-n);
      return first;
    }
    if (first.readableBytes() > n) {
      ByteBuf slice = first.readRetainedSlice(n);
      dropHeadIfEmpty(first);
      addSize(-n);
      return slice;
    }
    CompositeByteBuf out = first.alloc().compositeBuffer(Integer.MAX_VALUE);
    int left = n;
    while (left > 0) {
      ByteBuf b = chunks[head];
      int take = Math.min(b.readableBytes(), left);
      out.addComponent(true, b.readRetainedSlice(take));
      left -= take;
      dropHeadIfEmpty(b);
    }
    addSize(-n);
    return out;
  }

  /** Drops the first {@code n} bytes. */
  void skip(int n) {
    int left = n;
    while (left > 0) {
      ByteBuf b = chunks[head];
      int take = Math.min(b.readableBytes(), left);
      b.skipBytes(take);
      left -= take;
      dropHeadIfEmpty(b);
    }
    addSize(-n);
  }

  /**
   * Moves the unread bytes into one unpooled heap array and releases the received buffers, so
   * that a buffer nobody will ever read to the end holds no pooled (or leak-tracked) memory.
   */
  void moveToHeap() {
    if (size == 0) {
      clear();
      return;
    }
    ByteBuf copy = Unpooled.wrappedBuffer(readBytes(size)); // readBytes releases each chunk
    clear();
    add(copy);
  }

  /** Releases everything. */
  void clear() {
    for (int c = head; c < tail; c++) {
      chunks[c].release();
    }
    chunks = NONE;
    head = 0;
    tail = 0;
    SIZE.lazySet(this, 0);
  }

  private void dropHeadIfEmpty(ByteBuf b) {
    if (b.isReadable()) {
      return;
    }
    b.release();
    chunks[head++] = null;
    emptied();
  }

  /**
   * Drops the array once the last chunk is gone: an idle reader keeps none (keeping it would
   * cost every connection that once received a byte 24 bytes while idle: see
   * toolkit-bench/BENCHMARKS.md, "Measurements behind code choices"). A first-size array, all
   * its slots cleared by the reads that emptied it, becomes the thread's spare, so the next chunk
   * of any queue on this thread needs no new array.
   */
  private void emptied() {
    if (head == tail) {
      ByteBuf[] array = chunks;
      chunks = NONE;
      head = 0;
      tail = 0;
      if (array.length == FIRST_LENGTH) {
        SPARE.get()[0] = array;
      }
    }
  }
}
