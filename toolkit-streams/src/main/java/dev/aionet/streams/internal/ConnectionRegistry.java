package dev.aionet.streams.internal;

import dev.aionet.core.Promise;
import dev.aionet.core.internal.LeafPromise;
import dev.aionet.core.internal.LoopThread;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerAdapter;
import java.util.ArrayList;
import java.util.List;

/**
 * A server's open connections and the waiters of its {@code waitClosed()}: asyncio's
 * {@code Server._clients} and {@code _waiters}. It completes the waiters once the listener is
 * closed and the last connection is gone, in either order.
 *
 * <p>The connections form an intrusive doubly linked list through their {@link Entry} fields, so
 * an idle connection costs the registry no object of its own (a concurrent map would add an
 * entry object per connection). Guarded by this registry's monitor; {@link #count()} is readable
 * from any thread.
 */
final class ConnectionRegistry {
  /**
   * One registered connection. It extends {@code ChannelHandlerAdapter} so that the server's
   * per-connection object can also ride in its channel's pipeline from accept to setup without an
   * object of its own.
   */
  abstract static class Entry extends ChannelHandlerAdapter {
    private Entry prev;
    private Entry next;
    private boolean linked;

    /** The connection's channel. */
    abstract Channel channel();
  }

  private Entry first;
  /** How many entries the list holds; written under the monitor. */
  private volatile int count;
  private boolean listenerClosed;
  private final List<LeafPromise<Void>> closeWaiters = new ArrayList<>();

  /** Open connections now. Any thread. */
  int count() {
    return count;
  }

  synchronized void add(Entry e) {
    e.linked = true;
    e.next = first;
    if (first != null) {
      first.prev = e;
    }
    first = e;
    count++;
  }

  /** Forgets a connection once; the last one gone may complete the waiters. */
  void remove(Entry e) {
    synchronized (this) {
      if (!e.linked) {
        return;
      }
      e.linked = false;
      if (e.prev != null) {
        e.prev.next = e.next;
      } else {
        first = e.next;
      }
      if (e.next != null) {
        e.next.prev = e.prev;
      }
      e.prev = null;
      e.next = null;
      count--;
    }
    completeWaitersIfClosed();
  }

  /** The listener closed: the waiters complete once no connection is left. */
  void listenerClosed() {
    synchronized (this) {
      listenerClosed = true;
    }
    completeWaitersIfClosed();
  }

  /** A promise owned by {@code owner} that completes once the listener closed and no connection is left. */
  Promise<Void> waitClosed(LoopThread owner) {
    LeafPromise<Void> waiter = new LeafPromise<>(owner);
    synchronized (this) {
      closeWaiters.add(waiter);
    }
    waiter.onCancel(() -> {
      synchronized (this) {
        closeWaiters.remove(waiter);
      }
    });
    completeWaitersIfClosed();
    return waiter;
  }

  /** The channels of the open connections, a copy to act on outside the monitor. */
  synchronized List<Channel> channels() {
    List<Channel> open = new ArrayList<>(count);
    for (Entry e = first; e != null; e = e.next) {
      open.add(e.channel());
    }
    return open;
  }

  private void completeWaitersIfClosed() {
    List<LeafPromise<Void>> done;
    synchronized (this) {
      if (!listenerClosed || count != 0 || closeWaiters.isEmpty()) {
        return;
      }
      done = new ArrayList<>(closeWaiters);
      closeWaiters.clear();
    }
    for (LeafPromise<Void> waiter : done) {
      waiter.complete(null);
    }
  }
}
