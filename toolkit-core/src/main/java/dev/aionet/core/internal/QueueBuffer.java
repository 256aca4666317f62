package dev.aionet.core.internal;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * Where an {@code AsyncQueue} keeps its items, in the order its kind hands them out (asyncio's
 * {@code _init/_put/_get} hooks): first-in first-out, last-in first-out, or by priority. Not
 * thread-safe: the queue guards it.
 *
 * @param <T> the item type
 */
public abstract class QueueBuffer<T> {
  /** Refuses, before any waiting, an item this buffer could not order (a programming error). */
  public void check(T item) {}

  public abstract void add(T item);

  /** Removes and returns the next item; the buffer is not empty. */
  public abstract T poll();

  public abstract int size();

  public abstract void clear();

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
    private final ArrayDeque<T> items = new ArrayDeque<>();
    private final boolean lastFirst;

    Deque(boolean lastFirst) {
      this.lastFirst = lastFirst;
    }

    @Override
    public void add(T item) {
      items.addLast(item);
    }

    @Override
    public T poll() {
      return lastFirst ? items.pollLast() : items.pollFirst();
    }

    @Override
    public int size() {
      return items.size();
    }

    @Override
    public void clear() {
      items.clear();
    }
  }

  private static final class Heap<T> extends QueueBuffer<T> {
    private final PriorityQueue<T> items;
    private final boolean natural;

    Heap(Comparator<? super T> order) {
      this.items = new PriorityQueue<>(order);
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
    public void add(T item) {
      items.add(item);
    }

    @Override
    public T poll() {
      return items.poll();
    }

    @Override
    public int size() {
      return items.size();
    }

    @Override
    public void clear() {
      items.clear();
    }
  }
}
