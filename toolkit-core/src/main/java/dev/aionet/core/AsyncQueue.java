package dev.aionet.core;

import dev.aionet.core.internal.LeafPromise;
import dev.aionet.core.internal.QueueBuffer;
import dev.aionet.core.internal.WaiterQueue;
import java.util.List;
import java.util.Objects;

/**
 * A first-in first-out queue for tasks, bounded or not: asyncio's {@code Queue} (3.13, with
 * {@code shutdown}). {@link AsyncLifoQueue} and {@link AsyncPriorityQueue} hand items out in
 * another order and behave the same otherwise.
 *
 * <pre>{@code
 * AsyncQueue<String> jobs = new AsyncQueue<>(100);       // put() waits while 100 items are queued
 * producer:  jobs.put(job)                                // Promise<Void>
 * consumer:  jobs.get().thenCompose(job -> work(job)).whenComplete((v, e) -> jobs.taskDone())
 * }</pre>
 *
 * <table class="striped">
 *   <caption>Methods, as {@link java.util.concurrent.BlockingQueue} sums them up</caption>
 *   <thead><tr><th></th><th>Throws at once</th><th>Returns a promise that waits</th>
 *       <th>Waits at most {@code d}</th></tr></thead>
 *   <tbody>
 *   <tr><th>Insert</th><td>{@link #putNowait putNowait(e)}: {@link QueueFullException}</td>
 *       <td>{@link #put put(e)}: for a free slot</td><td>{@code Aio.waitFor(q.put(e), d)}</td></tr>
 *   <tr><th>Remove</th><td>{@link #getNowait()}: {@link QueueEmptyException}</td>
 *       <td>{@link #get()}: for an item</td><td>{@code Aio.waitFor(q.get(), d)}</td></tr>
 *   <tr><th>After {@link #shutdown shutdown}</th><td>both: {@link QueueShutDownException}
 *       (a get only once the queue is empty)</td><td>both fail with {@link QueueShutDownException}</td>
 *       <td></td></tr>
 *   <tr><th>Examine</th><td colspan="3">{@link #size()}, {@link #isEmpty()}, {@link #isFull()},
 *       {@link #maxsize()}</td></tr>
 *   <tr><th>Completion</th><td>{@link #taskDone()}: {@code IllegalStateException} once too
 *       often</td><td>{@link #join()}: until every item put was {@code taskDone()}</td><td></td></tr>
 *   </tbody>
 * </table>
 *
 * <p><b>Fairness.</b> Waiting getters and putters are served in FIFO order. A put while getters
 * wait promises the item to the first of them (it stays in the queue until that task resumes and
 * takes it), and a get while putters wait promises the freed slot to the first putter; promised
 * items and slots are not offered to newcomers, so {@link #size()} does not count an item promised
 * to a woken getter and {@link #isFull()} counts a slot promised to a woken putter. (asyncio lets a
 * newcomer take them and sends the woken task back to wait at the end of the line.)
 *
 * <p><b>Cancellation never loses anything.</b> A cancelled {@link #get()} leaves its item in the
 * queue: if the item had been promised to it, the next getter gets it. A cancelled {@link #put}
 * inserts nothing, and a slot promised to it goes to the next putter.
 *
 * <p><b>Null.</b> Items may not be null ({@code NullPointerException}, as {@code BlockingQueue}).
 *
 * <p><b>Threading.</b> A queue may be shared by tasks on any loop threads: the constructor takes no
 * loop (see the package documentation, "Threads"), the state is guarded by the queue's monitor, and each waiting caller
 * resumes on the loop thread that called {@code get()}/{@code put()}/{@code join()}. Called off
 * every loop, those return promises owned by no loop, which a plain thread may {@code join()}.
 *
 * <p>This class is long because asyncio's {@code Queue} is: its whole API (put, get, the nowait
 * forms, join/taskDone, shutdown) with each method's contract written out. The subclasses change
 * only the order in which items leave.
 *
 * @param <T> the item type
 */
public class AsyncQueue<T> {
  private final int maxsize;
  private final QueueBuffer<T> items;
  private final WaiterQueue<Void> getters = new WaiterQueue<>();
  private final WaiterQueue<Void> putters = new WaiterQueue<>();
  private final WaiterQueue<Void> joiners = new WaiterQueue<>();
  /** Items in {@link #items} promised to woken getters. */
  private int reservedItems;
  /** Free slots promised to woken putters. */
  private int reservedSlots;
  private int unfinished;
  private boolean shutdown;

  /** Creates an unbounded queue. */
  public AsyncQueue() {
    this(0);
  }

  /**
   * Creates a queue holding at most {@code maxsize} items; {@code maxsize <= 0} means unbounded.
   *
   * @param maxsize the most items held; {@code <= 0}: unbounded
   */
  public AsyncQueue(int maxsize) {
    this(maxsize, QueueBuffer.fifo());
  }

  AsyncQueue(int maxsize, QueueBuffer<T> items) {
    this.maxsize = maxsize;
    this.items = items;
  }

  // ---------------------------------------------------------------- putting

  /**
   * Returns a promise that succeeds once {@code item} is in the queue: at once while there is a
   * free slot (and no putter waits), else when a get frees one for this caller (FIFO).
   *
   * <p>Fails with {@link QueueShutDownException} if the queue is shut down now or while this
   * caller waits. Cancelling it while it waits inserts nothing.
   *
   * @param item the item
   * @return a promise that succeeds once the item is in the queue
   * @throws NullPointerException if {@code item} is null
   */
  public Promise<Void> put(T item) {
    Objects.requireNonNull(item, "item");
    items.check(item);
    LeafPromise<Void> getter;
    LeafPromise<Void> putter;
    synchronized (this) {
      if (shutdown) {
        return Promise.failed(new QueueShutDownException("put() on a shut-down queue"));
      }
      if (!noFreeSlot() && !putters.hasPending()) {
        insert(item);
        getter = grantGetter();
        putter = null;
      } else {
        getter = null;
        putter = putters.enqueue();
      }
    }
    if (putter == null) {
      deliverToGetter(getter);
      return Promise.completed(null);
    }
    return WaiterQueue.await(putter, v -> {
      insertGranted(item);
      return null;
    }, this::returnSlot, () -> withdraw(putters, putter));
  }

  /**
   * Puts {@code item} into the queue at once.
   *
   * @param item the item
   * @throws QueueShutDownException if the queue is shut down
   * @throws QueueFullException if the queue has no free slot
   * @throws NullPointerException if {@code item} is null
   */
  public void putNowait(T item) {
    Objects.requireNonNull(item, "item");
    items.check(item);
    LeafPromise<Void> getter;
    synchronized (this) {
      if (shutdown) {
        throw new QueueShutDownException("putNowait() on a shut-down queue");
      }
      if (noFreeSlot()) {
        throw new QueueFullException("queue full (maxsize " + maxsize + ")");
      }
      insert(item);
      getter = grantGetter();
    }
    deliverToGetter(getter);
  }

  /** A putter was promised a slot and resumed: use it, unless the queue was shut down meanwhile. */
  private void insertGranted(T item) {
    LeafPromise<Void> getter;
    synchronized (this) {
      reservedSlots--;
      if (shutdown) {
        throw new QueueShutDownException("put() on a shut-down queue");
      }
      insert(item);
      getter = grantGetter();
    }
    deliverToGetter(getter);
  }

  /** A putter was promised a slot but cancelled before it resumed: the next putter gets it. */
  private void returnSlot() {
    LeafPromise<Void> next;
    synchronized (this) {
      reservedSlots--;
      next = grantPutter();
    }
    deliverToPutter(next);
  }

  // ---------------------------------------------------------------- getting

  /**
   * Returns a promise that succeeds with the next item: at once when one is there (and no getter
   * waits), else once a put brings one for this caller (FIFO).
   *
   * <p>Fails with {@link QueueShutDownException} if the queue is shut down and empty, now or while
   * this caller waits (after {@code shutdown(false)} the items already queued are still handed
   * out). Cancelling it while it waits removes no item: one already promised to it goes to the
   * next getter.
   *
   * @return a promise of the next item
   */
  public Promise<T> get() {
    T item;
    LeafPromise<Void> putter;
    LeafPromise<Void> getter;
    synchronized (this) {
      if (available() > 0 && !getters.hasPending()) {
        item = items.poll();
        putter = grantPutter();
        getter = null;
      } else if (shutdown) {
        return Promise.failed(new QueueShutDownException("get() on a shut-down, empty queue"));
      } else {
        item = null;
        putter = null;
        getter = getters.enqueue();
      }
    }
    if (getter == null) {
      deliverToPutter(putter);
      return Promise.completed(item);
    }
    return WaiterQueue.await(getter, v -> takeGranted(), this::returnItem, () -> withdraw(getters, getter));
  }

  /**
   * Removes and returns the next item at once.
   *
   * @return the next item
   * @throws QueueEmptyException if no item is there (or every item is promised to a woken getter)
   * @throws QueueShutDownException if the queue is shut down and empty
   */
  public T getNowait() {
    T item;
    LeafPromise<Void> putter;
    synchronized (this) {
      if (available() <= 0) {
        if (shutdown) {
          throw new QueueShutDownException("getNowait() on a shut-down, empty queue");
        }
        throw new QueueEmptyException("queue empty");
      }
      item = items.poll();
      putter = grantPutter();
    }
    deliverToPutter(putter);
    return item;
  }

  /** A getter was promised an item and resumed: take it, unless shutdown(true) drained it. */
  private T takeGranted() {
    T item;
    LeafPromise<Void> putter;
    synchronized (this) {
      if (reservedItems == 0) {
        throw new QueueShutDownException("get() on a shut-down, empty queue");
      }
      reservedItems--;
      item = items.poll();
      putter = grantPutter();
    }
    deliverToPutter(putter);
    return item;
  }

  /** A getter was promised an item but cancelled before it resumed: the next getter gets it. */
  private void returnItem() {
    LeafPromise<Void> next;
    synchronized (this) {
      if (reservedItems > 0) { // else shutdown(true) drained it
        reservedItems--;
      }
      next = grantGetter();
    }
    deliverToGetter(next);
  }

  // ---------------------------------------------------------------- grants (see WaiterQueue)

  /** Under the monitor: items in the queue not promised to a woken getter. */
  private int available() {
    return items.size() - reservedItems;
  }

  /** Under the monitor: whether every slot is taken or promised. */
  private boolean noFreeSlot() {
    return maxsize > 0 && items.size() + reservedSlots >= maxsize;
  }

  private void insert(T item) {
    items.add(item);
    unfinished++;
  }

  /** Under the monitor: promises an available item to the first pending getter. */
  private LeafPromise<Void> grantGetter() {
    if (available() <= 0) {
      return null;
    }
    LeafPromise<Void> getter = getters.pollPending();
    if (getter != null) {
      reservedItems++;
    }
    return getter;
  }

  /** Under the monitor: promises a free slot to the first pending putter. */
  private LeafPromise<Void> grantPutter() {
    if (noFreeSlot()) {
      return null;
    }
    LeafPromise<Void> putter = putters.pollPending();
    if (putter != null) {
      reservedSlots++;
    }
    return putter;
  }

  /** Outside the monitor: wakes a granted getter; if it was cancelled meanwhile, the next one. */
  private void deliverToGetter(LeafPromise<Void> getter) {
    while (getter != null && !getter.complete(null)) {
      synchronized (this) {
        if (reservedItems > 0) {
          reservedItems--;
        }
        getter = grantGetter();
      }
    }
  }

  /** Outside the monitor: wakes a granted putter; if it was cancelled meanwhile, the next one. */
  private void deliverToPutter(LeafPromise<Void> putter) {
    while (putter != null && !putter.complete(null)) {
      synchronized (this) {
        reservedSlots--;
        putter = grantPutter();
      }
    }
  }

  private synchronized void withdraw(WaiterQueue<Void> queue, LeafPromise<Void> waiter) {
    queue.remove(waiter);
  }

  // ---------------------------------------------------------------- completion and shutdown

  /**
   * Marks one item got from the queue as processed; when every item put has been, {@link #join()}
   * callers wake.
   *
   * @throws IllegalStateException {@code "taskDone() called too many times"} when no item is
   *     unfinished (asyncio raises {@code ValueError}: docs/differences-from-asyncio.md)
   */
  public void taskDone() {
    List<LeafPromise<Void>> woken = null;
    synchronized (this) {
      if (unfinished <= 0) {
        throw new IllegalStateException("taskDone() called too many times");
      }
      if (--unfinished == 0) {
        woken = joiners.drainPending();
      }
    }
    if (woken != null) {
      WaiterQueue.completeAll(woken, null);
    }
  }

  /**
   * Returns a promise that succeeds once every item put so far has been marked with
   * {@link #taskDone()}: at once when none is unfinished. Cancelling it only withdraws it.
   *
   * @return a promise that succeeds once no item is unfinished
   */
  public Promise<Void> join() {
    LeafPromise<Void> joiner;
    synchronized (this) {
      if (unfinished == 0) {
        return Promise.completed(null);
      }
      joiner = joiners.enqueue();
    }
    return WaiterQueue.await(joiner, v -> null, () -> {}, () -> withdraw(joiners, joiner));
  }

  /**
   * Shuts the queue down, for good (asyncio 3.13 {@code shutdown}): later puts fail with
   * {@link QueueShutDownException}, and so do waiting putters; gets keep returning the items left,
   * then fail with it too, as do getters waiting on the empty queue. With {@code immediate}, the
   * items left are dropped first, each counting as done for {@link #join()} (which wakes once none
   * is unfinished). Calling it again, or with {@code true} after {@code false}, is allowed.
   *
   * @param immediate whether to drop the items left
   */
  public void shutdown(boolean immediate) {
    List<LeafPromise<Void>> failedGetters;
    List<LeafPromise<Void>> failedPutters;
    List<LeafPromise<Void>> woken = null;
    synchronized (this) {
      shutdown = true;
      if (immediate) {
        int dropped = items.size();
        items.clear();
        reservedItems = 0;
        unfinished = Math.max(0, unfinished - dropped);
        if (unfinished == 0) {
          woken = joiners.drainPending();
        }
      }
      failedGetters = getters.drainPending();
      failedPutters = putters.drainPending();
    }
    WaiterQueue.failAll(failedGetters, () -> new QueueShutDownException("get() on a shut-down, empty queue"));
    WaiterQueue.failAll(failedPutters, () -> new QueueShutDownException("put() on a shut-down queue"));
    if (woken != null) {
      WaiterQueue.completeAll(woken, null);
    }
  }

  // ---------------------------------------------------------------- examining

  /**
   * The number of items in the queue, not counting items promised to woken getters.
   *
   * @return the items available to a new getter
   */
  public synchronized int size() {
    return available();
  }

  /**
   * The bound given to the constructor; {@code <= 0} means unbounded.
   *
   * @return the bound
   */
  public int maxsize() {
    return maxsize;
  }

  /**
   * Whether {@link #getNowait()} would find no item (see {@link #size()}).
   *
   * @return whether no item is available to a new getter
   */
  public synchronized boolean isEmpty() {
    return available() <= 0;
  }

  /**
   * Whether {@link #putNowait} would find no free slot; never true for an unbounded queue.
   *
   * @return whether no slot is free for a new putter
   */
  public synchronized boolean isFull() {
    return noFreeSlot();
  }

  /** Queued getters, cancelled ones not yet removed included. */
  synchronized int getterCount() {
    return getters.size();
  }

  /** Queued putters, as {@link #getterCount()}. */
  synchronized int putterCount() {
    return putters.size();
  }

  /** Queued join() callers, as {@link #getterCount()}. */
  synchronized int joinerCount() {
    return joiners.size();
  }

  /** Items put and not yet marked done. */
  synchronized int unfinishedTasks() {
    return unfinished;
  }

  @Override
  public synchronized String toString() {
    return getClass().getSimpleName() + "[size:" + available() + ", maxsize:" + maxsize
        + ", getters:" + getters.size() + ", putters:" + putters.size() + (shutdown ? ", shut down" : "") + "]";
  }
}
