package dev.aionet.core.internal;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.Queue;

/**
 * Where an {@code AsyncQueue} keeps its items, in the order its kind hands them out (asyncio's
 * {@code _init/_put/_get} hooks): first-in first-out, last-in first-out, or by priority. Not
 * thread-safe: the queue guards it.
 *
 * @param <T> the item type
 */
public abstract class QueueBuffer<T> {
  final Queue<T> items;

  private QueueBuffer(Queue<T> items) {
    this.items = items;
  }

  /** Refuses, before any waiting, an item this buffer could not order (a programming error). */
  public void check(T item) {}

  public final void add(T item) {
    items.add(item);
  }

  /** Removes and returns the next item, or null when empty. */
  public abstract T poll();

  public final int size() {
    return items.size();
  }

  public final void clear() {
    items.clear();
  }

  /** First in, first out: {@code Queue}. */
  public static <T> QueueBuffer<T> fifo() {
    return new Deque<>(false);
  }

  /** Last in, first out: {@code LifoQueue}. */
  public static <T> QueueBuffer<T> lifo() {
    return new Deque<>(true);
  }

  /** Smallest first by {@code order}, or by natural order when it is null: {@code PriorityQueue}. */
  public static <T> QueueBuffer<T> priority(Comparator<? super T> order) {
    return new Heap<>(order);
  }

  private static final class Deque<T> extends QueueBuffer<T> {
    private final boolean lastFirst;

    Deque(boolean lastFirst) {
      super(new ArrayDeque<>());
      this.lastFirst = lastFirst;
    }

    @Override
    public T poll() {
      ArrayDeque<T> deque = (ArrayDeque<T>) items;
      return lastFirst ? deque.pollLast() : deque.pollFirst();
    }
  }

  private static final class Heap<T> extends QueueBuffer<T> {
    private final boolean natural;

    Heap(Comparator<? super T> order) {
      super(new PriorityQueue<>(order));
      this.natural = order == null;
    }

    @Override
    public void check(T item) {
      if (natural && !(item instanceof Comparable)) {
        throw new ClassCastException(item.getClass().getName()
            + " is not Comparable; give the AsyncPriorityQueue a Comparator");
      }
    }

    @Override
    public T poll() {
      return items.poll();
    }
  }
}
