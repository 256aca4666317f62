package dev.aionet.core.internal;

import dev.aionet.core.AsyncTimeoutException;
import dev.aionet.core.Promise;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * {@code Aio.asCompleted}: asyncio 3.13's {@code _AsCompletedIterator} for plain iteration.
 *
 * <p>The iterator yields one new promise per distinct original; the n-th promise handed out
 * settles like the n-th original to settle. With a timeout, the promises still unsettled when it
 * passes (and those handed out later) fail with {@link AsyncTimeoutException}; the originals are
 * never cancelled. Cancelling a handed-out promise gives up its place: the next original to settle
 * goes to the next promise (asyncio: a cancelled {@code Queue.get()} loses no item).
 *
 * <p>Confined to the loop thread that created it; its promises belong to that thread.
 *
 * @param <T> the value type
 */
public final class AsCompleted<T> implements Iterator<Promise<T>>, Continuation {
  private final LoopThread owner;
  /** Originals that settled and were not handed to a waiter yet; null stands for "timed out". */
  private final ArrayDeque<PromiseImpl<T>> done = new ArrayDeque<>();
  private final ArrayDeque<LeafPromise<T>> waiters = new ArrayDeque<>();
  private int todo;
  private int left;
  private boolean timedOut;
  private dev.aionet.core.TimerHandle timer;

  private AsCompleted(LoopThread owner) {
    this.owner = owner;
  }

  @Override
  public LoopThread owner() {
    return owner;
  }

  public static <T> Iterator<Promise<T>> start(Collection<? extends Promise<T>> promises, Duration timeout) {
    LoopThread ctx = LoopThread.require();
    Objects.requireNonNull(promises, "promises");
    Set<Promise<T>> distinct = new LinkedHashSet<>();
    for (Promise<T> p : promises) {
      distinct.add(Objects.requireNonNull(p, "a promise in asCompleted"));
    }
    AsCompleted<T> it = new AsCompleted<>(ctx);
    it.todo = distinct.size();
    it.left = distinct.size();
    if (!distinct.isEmpty() && timeout != null) {
      it.timer = ctx.callLater(timeout, it::onTimeout);
    }
    for (Promise<T> p : distinct) {
      PromiseImpl<T> adapted = Promises.adapt(p);
      adapted.markRetrieved(); // its outcome is handed on to one of our promises
      adapted.addListener(it);
    }
    return it;
  }

  @Override
  public boolean hasNext() {
    return left > 0;
  }

  @Override
  public Promise<T> next() {
    if (!owner.inEventLoop()) {
      throw new IllegalStateException("asCompleted's iterator is confined to the loop thread that created it");
    }
    if (left <= 0) {
      throw new NoSuchElementException("every promise was handed out");
    }
    left--;
    LeafPromise<T> next = new LeafPromise<>(owner);
    if (!done.isEmpty()) {
      next.settle(done.poll().result);
    } else if (timedOut) {
      next.fail(timeout());
    } else {
      waiters.add(next);
      next.onCancel(() -> waiters.remove(next));
    }
    return next;
  }


  @SuppressWarnings("unchecked")
  @Override
  public void resume(PromiseImpl<?> source) {
    if (timedOut) {
      return;
    }
    todo--;
    if (todo == 0 && timer != null) {
      timer.cancel();
    }
    LeafPromise<T> waiter = waiters.poll();
    if (waiter != null) {
      waiter.settle(source.result);
    } else {
      done.add((PromiseImpl<T>) source);
    }
  }

  private void onTimeout() {
    if (todo == 0) {
      return;
    }
    timedOut = true;
    LeafPromise<T> waiter;
    while ((waiter = waiters.poll()) != null) {
      waiter.fail(timeout());
    }
  }

  private static AsyncTimeoutException timeout() {
    return new AsyncTimeoutException("asCompleted timed out");
  }

  @Override
  public String toString() {
    return "AsCompleted[" + left + " to hand out, " + todo + " unsettled" + (timedOut ? ", timed out" : "") + "]";
  }
}
