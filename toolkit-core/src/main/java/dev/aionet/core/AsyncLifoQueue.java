package dev.aionet.core;

import dev.aionet.core.internal.QueueBuffer;

/**
 * A last-in first-out {@link AsyncQueue}: asyncio's {@code LifoQueue}. {@link #get()} returns
 * the item put most recently; waiting getters and putters are still served first come, first
 * served. Everything else, shutdown included, is {@link AsyncQueue}.
 *
 * @param <T> the item type
 */
public class AsyncLifoQueue<T> extends AsyncQueue<T> {

  /** Creates an unbounded LIFO queue. */
  public AsyncLifoQueue() {
    this(0);
  }

  /**
   * Creates a LIFO queue holding at most {@code maxsize} items; {@code maxsize <= 0} means unbounded.
   *
   * @param maxsize the most items held; {@code <= 0}: unbounded
   */
  public AsyncLifoQueue(int maxsize) {
    super(maxsize, QueueBuffer.lifo());
  }
}
