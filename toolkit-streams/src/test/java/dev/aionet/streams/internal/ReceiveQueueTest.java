package dev.aionet.streams.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import dev.aionet.core.internal.LoopThread;
import dev.aionet.streams.TestLoop;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The queue of received items and its one pending receive, fed directly (no sockets). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReceiveQueueTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static <T> T onLoop(TestLoop t, Callable<T> body) {
    return t.run(() -> Promise.completed(body.call()));
  }

  private static ReceiveQueue<String> queue() {
    return new ReceiveQueue<>(LoopThread.require());
  }

  /** A queue that records what it discards. */
  private static ReceiveQueue<String> discardingInto(List<String> discarded) {
    return new ReceiveQueue<>(LoopThread.require()) {
      @Override
      protected void discard(String item) {
        discarded.add(item);
      }
    };
  }

  private static void cancelFromAnotherThread(Promise<?> p) throws InterruptedException {
    Thread other = new Thread(() -> p.cancel());
    other.start();
    other.join();
  }

  @Test
  void itemsComeOutInOrderAndAReceiveOnTheLoopWithAnItemQueuedCompletesAtOnce() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      onLoop(t, () -> {
        ReceiveQueue<String> q = queue();
        q.add("a");
        q.add("b");
        assertThat(q.size()).isEqualTo(2);
        assertThat(q.receive().result()).isEqualTo("a");
        assertThat(q.receive().result()).isEqualTo("b");
        Promise<String> waiting = q.receive();
        assertThat(waiting.isDone()).isFalse();
        q.add("c");
        assertThat(waiting.result()).isEqualTo("c");
        assertThat(q.size()).isZero();
        return null;
      });
    }
  }

  @Test
  void anItemForAReceiveCancelledFromAnotherThreadStaysForTheNextReceive() {
    // The cancel settles the receive at once; its withdrawal reaches the loop later. An item
    // arriving in between must not go to the cancelled receive.
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      onLoop(t, () -> {
        ReceiveQueue<String> q = queue();
        Promise<String> cancelled = q.receive();
        cancelFromAnotherThread(cancelled);
        q.add("kept");
        assertThat(cancelled.isCancelled()).isTrue();
        assertThat(q.size()).isEqualTo(1);
        assertThat(q.receive().result()).isEqualTo("kept");
        return null;
      });
    }
  }

  @Test
  void anErrorForAReceiveCancelledFromAnotherThreadStaysForTheNextReceive() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      Promise<String> next = onLoop(t, () -> {
        ReceiveQueue<String> q = queue();
        Promise<String> cancelled = q.receive();
        cancelFromAnotherThread(cancelled);
        q.failNext(new IOException("refused"));
        q.add("after");
        Promise<String> failing = q.receive();
        assertThat(failing.exception()).isInstanceOf(IOException.class).hasMessage("refused");
        return q.receive();
      });
      assertThat(next.join(WAIT)).as("the error came once, ahead of the item").isEqualTo("after");
    }
  }

  @Test
  void aReceiveCancelledBeforeItReachesTheLoopTakesNothing() throws Exception {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      ReceiveQueue<String> q = onLoop(t, () -> {
        ReceiveQueue<String> made = queue();
        made.add("x");
        return made;
      });
      CountDownLatch blocked = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      t.loop().callSoon(() -> { // holds the loop thread, so the receive below waits behind it
        blocked.countDown();
        awaitUninterruptibly(release);
      });
      blocked.await();
      Promise<String> r = q.receive(); // off the loop: queued for the loop thread
      r.cancel();
      release.countDown();
      assertThat(r.isCancelled()).isTrue();
      assertThat(onLoop(t, q::size)).isEqualTo(1);
      assertThat(q.receive().join(WAIT)).isEqualTo("x");
    }
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void endGivesTheQueuedItemsThenNullAndEndWithDiscardDiscardsThem() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      onLoop(t, () -> {
        List<String> discarded = new ArrayList<>();
        ReceiveQueue<String> q = discardingInto(discarded);
        q.add("a");
        q.end(false);
        q.add("late");
        assertThat(discarded).containsExactly("late");
        assertThat(q.receive().result()).isEqualTo("a");
        assertThat(q.receive().result()).isNull();

        ReceiveQueue<String> d = discardingInto(discarded);
        Promise<String> pending = d.receive();
        d.end(true);
        assertThat(pending.isDone()).isTrue();
        assertThat(pending.result()).isNull();
        ReceiveQueue<String> e = discardingInto(discarded);
        e.add("b");
        e.add("c");
        e.end(true);
        assertThat(discarded).containsExactly("late", "b", "c");
        assertThat(e.receive().result()).isNull();
        return null;
      });
    }
  }

  @Test
  void aSecondPendingReceiveFailsAndTheFirstKeepsWaiting() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      onLoop(t, () -> {
        ReceiveQueue<String> q = new ReceiveQueue<>(LoopThread.require()) {
          @Override
          protected String owner() {
            return "Q[test]";
          }
        };
        Promise<String> first = q.receive();
        Promise<String> second = q.receive();
        assertThat(second.exception()).isInstanceOf(IllegalStateException.class).hasMessageContaining("Q[test]");
        q.add("one");
        assertThat(first.result()).isEqualTo("one");
        return null;
      });
    }
  }

  @Test
  void changedRunsWheneverTheSizeOrThePendingReceiveChanged() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      List<String> seen = new ArrayList<>();
      onLoop(t, () -> {
        ReceiveQueue<String> q = new ReceiveQueue<>(LoopThread.require()) {
          @Override
          protected void changed() {
            seen.add(size() + (hasPending() ? "+pending" : ""));
          }
        };
        q.add("queued");
        q.receive();
        q.receive(); // waits
        q.add("handed over");
        Promise<String> withdrawn = q.receive();
        withdrawn.cancel();
        return null;
      });
      assertThat(seen).containsExactly("1", "0", "0+pending", "0", "0+pending", "0");
    }
  }

  @Test
  void failAllFailsThePendingAndEveryLaterReceiveWhileTheItemsWaitForEnd() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      onLoop(t, () -> {
        List<String> discarded = new ArrayList<>();
        ReceiveQueue<String> q = discardingInto(discarded);
        Promise<String> pending = q.receive();
        q.failAll(new IOException("broken"));
        q.add("after the error");
        q.failAll(new IOException("second"));
        assertThat(pending.exception()).hasMessage("broken");
        assertThat(q.receive().exception()).as("the first error stays").hasMessage("broken");
        assertThat(q.receive().exception()).hasMessage("broken");
        assertThat(q.failure()).hasMessage("broken");
        assertThat(q.size()).isEqualTo(1);
        q.end(true);
        assertThat(discarded).containsExactly("after the error");
        assertThat(q.receive().exception()).hasMessage("broken");
        return null;
      });
    }
  }

  @Test
  void aFailedReceiveRethrowsTheErrorAsTheCause() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      Promise<String> failed = onLoop(t, () -> {
        ReceiveQueue<String> q = queue();
        q.failNext(new IOException("boom"));
        return q.receive();
      });
      assertThatThrownBy(() -> failed.join(WAIT)).isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(IOException.class);
    }
  }
}
