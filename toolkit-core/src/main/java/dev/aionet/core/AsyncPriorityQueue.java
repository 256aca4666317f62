package dev.aionet.core;

import dev.aionet.core.internal.QueueBuffer;
import java.util.Comparator;
import java.util.Objects;

/**
 * An {@link AsyncQueue} that hands out the smallest item first: asyncio's {@code PriorityQueue}
 * (a heap, so items that compare equal come out in no particular order, as with {@code heapq}).
 * Items are ordered by their natural order ({@link Comparable}) or by a {@link Comparator}; a
 * common shape is a record {@code (int priority, T job)} with a comparator on the priority.
 * Everything else, shutdown included, is {@link AsyncQueue}.
 *
 * @param <T> the item type
 */
public class AsyncPriorityQueue<T> extends AsyncQueue<T> {

  /** Creates an unbounded priority queue of {@link Comparable} items. */
  public AsyncPriorityQueue() {
    this(0);
  }

  /**
   * Creates a priority queue of {@link Comparable} items holding at most {@code maxsize};
   * {@code maxsize <= 0} means unbounded. Putting an item that is not {@code Comparable} throws
   * {@link ClassCastException} at once.
   *
   * @param maxsize the most items held; {@code <= 0}: unbounded
   */
  public AsyncPriorityQueue(int maxsize) {
    super(maxsize, QueueBuffer.priority(null));
  }

  /**
   * Creates a priority queue ordered by {@code order}, holding at most {@code maxsize} items.
   *
   * @param maxsize the most items held; {@code <= 0}: unbounded
   * @param order smallest first
   */
  public AsyncPriorityQueue(int maxsize, Comparator<? super T> order) {
    super(maxsize, QueueBuffer.priority(Objects.requireNonNull(order, "order")));
  }
}
