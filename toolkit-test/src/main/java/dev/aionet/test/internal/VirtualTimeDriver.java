package dev.aionet.test.internal;

import dev.aionet.core.internal.LoopThread;
import io.netty.channel.IoEventLoop;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread of a test loop: it runs a {@link VirtualEventLoop} and decides when its virtual
 * clock moves.
 *
 * <pre>
 *   run ready I/O and tasks ──► anything ran? ──yes──► again
 *            ▲                       │ no
 *            │        advanceBy request? ──► step the clock deadline by deadline to its target
 *            │                       │ no
 *            │      call running off the loop (toThread)? ──► nap until it hands back
 *            │                       │ no
 *            │      a timer, autoAdvance, and (no channel open, or no I/O nor work for ioGrace)
 *            │                       ├──────► jump the clock to the earliest deadline
 *            │                       │ no timer
 *            │      a watched main pending, no channel open, idle for ioGrace ──► deadlock report
 *            └──── block in select: the rest of the grace, or a bounded nap (a task wakes it)
 * </pre>
 *
 * <p>On a machine with more runnable threads than cores the grace is stretched (see
 * {@link MachineLoad}), since a peer there may wait far longer than 20 ms for a core.
 *
 * <p>"Anything ran" counts every Netty task, so aionet's ready callbacks and continuations, which
 * run as Netty tasks, keep the clock still. A channel that is open but quiet holds a jump back for
 * {@code ioGrace} of real time after the last I/O event or task, so a peer answering within that
 * grace is read before any timeout can fire.
 *
 * <p>An {@code Aio.async} body runs inside the Netty task that handed it the loop: the loop thread
 * waits in that task until the body awaits a pending promise or ends (also when the body is a
 * virtual thread carried by the loop thread itself). A body that computes or blocks between two
 * awaits therefore keeps {@code runNow} from returning, so it counts as work and the clock stays
 * still; its resumption is a Netty task again.
 */
public final class VirtualTimeDriver {
  private static final Logger log = LoggerFactory.getLogger(VirtualTimeDriver.class);
  /** The longest nap when nothing can move the clock; any task handed to the loop ends it early. */
  private static final long NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  /** How late a nap may end, beyond a quarter of its length, before it counts as a stall. */
  private static final long STALL_SLACK_NANOS = TimeUnit.MICROSECONDS.toNanos(1500);
  private static final int MAX_STALL_RESTARTS = 10;

  private final Thread thread;
  private final WatchedIoHandler.Factory io = new WatchedIoHandler.Factory();
  private final VirtualEventLoop eventLoop;
  private final boolean autoAdvance;
  private final long graceNanos;
  private final MachineLoad load = new MachineLoad();
  private final ConcurrentLinkedQueue<Advance> advances = new ConcurrentLinkedQueue<>();
  private volatile Watch watch;
  /** System.nanoTime() when the loop last did anything (a task or an I/O event); loop thread. */
  private long activeAt = System.nanoTime();
  /** Graces started again in a row because a nap overran (see {@link #block}); loop thread. */
  private int stallRestarts;

  private VirtualTimeDriver(String name, boolean autoAdvance, Duration ioGrace) {
    this.autoAdvance = autoAdvance;
    this.graceNanos = ioGrace.toNanos();
    this.thread = new DefaultThreadFactory(name, true).newThread(this::drive);
    this.eventLoop = VirtualEventLoop.create(thread, io);
  }

  /** Starts a driver thread named after {@code name} with its event loop. */
  public static VirtualTimeDriver start(String name, boolean autoAdvance, Duration ioGrace) {
    VirtualTimeDriver driver = new VirtualTimeDriver(name, autoAdvance, ioGrace);
    driver.thread.start();
    return driver;
  }

  /** The event loop this driver runs: the one thread of the test loop. */
  public IoEventLoop eventLoop() {
    return eventLoop;
  }

  /** The virtual time in nanoseconds. Any thread. */
  public long nanoTime() {
    return eventLoop.virtualNanos();
  }

  public boolean isDriverThread() {
    return Thread.currentThread() == thread;
  }

  /**
   * Off the loop: runs everything due up to now + {@code nanos}, deadline by deadline, each with
   * the clock at its deadline, then leaves the clock there; returns once done.
   */
  public void advanceBy(long nanos) {
    Advance a = new Advance(nanos);
    advances.add(a);
    eventLoop.wakeup();
    try {
      a.done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while advancing the test loop's clock", e);
    }
  }

  /**
   * Watches {@code pending}: if it can never finish (nothing ready, no timer, no channel open, no
   * call running off the loop, for the I/O grace), {@code onDeadlock} gets the loop's tasks, each
   * with what it awaits, on the loop thread. One watch at a time.
   */
  public boolean watch(dev.aionet.core.Promise<?> pending, Consumer<List<String>> onDeadlock) {
    synchronized (this) {
      if (watch != null) {
        return false;
      }
      watch = new Watch(pending, onDeadlock);
    }
    eventLoop.wakeup();
    return true;
  }

  public synchronized void unwatch() {
    watch = null;
  }

  /** Stops the event loop and its thread (after the aionet loop on it was closed). Off the loop. */
  public void shutdown() {
    eventLoop.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Advance a;
    while ((a = advances.poll()) != null) {
      a.done.countDown();
    }
  }

  private void drive() {
    while (true) {
      if (eventLoop.isShuttingDown()) {
        // Netty measures the shutdown's quiet period on the loop's ticker: let it pass
        eventLoop.advanceTo(eventLoop.virtualNanos() + 1);
        eventLoop.runNow();
        if (eventLoop.isTerminated()) {
          return;
        }
        continue;
      }
      if (runReady()) {
        continue;
      }
      Advance a = advances.poll();
      if (a != null) {
        advance(a);
        continue;
      }
      long nap = idle();
      if (nap > 0) {
        block(nap);
      }
    }
  }

  /**
   * Blocks in {@code select} for up to {@code nap} of real time, until I/O or a task arrives.
   *
   * <p>A nap that overran a lot means the machine held this thread off the CPU, and a peer that
   * was about to answer was likely held off too; the grace then starts again, so a loaded machine
   * slows the clock down instead of firing timeouts a quiet one would not. At most
   * {@link #MAX_STALL_RESTARTS} times in a row, so the clock still moves on a machine that never
   * keeps its timing.
   */
  private void block(long nap) {
    WatchedIoHandler handler = io.handler();
    handler.blockFor(nap);
    long start = System.nanoTime();
    int handled = eventLoop.run(nap);
    long end = System.nanoTime();
    handler.blockFor(0);
    if (handled > 0) {
      activeAt = end;
      stallRestarts = 0;
    } else if (end - start > nap + nap / 4 + STALL_SLACK_NANOS && stallRestarts < MAX_STALL_RESTARTS) {
      activeAt = end;
      stallRestarts++;
    }
  }

  /** Runs what is ready now (I/O, tasks, due timers); true if anything ran. */
  private boolean runReady() {
    try {
      if (eventLoop.runNow() > 0) {
        activeAt = System.nanoTime();
        return true;
      }
    } catch (Throwable t) {
      // Netty's tasks report their own failures; this only guards the thread that drives them
      log.error("test loop: event loop pass failed", t);
      activeAt = System.nanoTime();
      return true;
    }
    return false;
  }

  /**
   * Decides what an idle loop does next: moves the clock or reports a deadlock (returns 0, so the
   * loop runs again at once) or returns how long to block for I/O or a task.
   */
  private long idle() {
    LoopThread loopThread = LoopThread.current();
    if (loopThread != null && loopThread.loop().outsideWork() > 0) {
      return NAP_NANOS; // its outcome arrives as a task, which wakes the loop
    }
    long quietFor = System.nanoTime() - Math.max(activeAt, io.handler().lastIoNanos);
    boolean open = io.handler().hasOpenChannels();
    long graceLeft = load.stretch(graceNanos) - quietFor;
    long next = eventLoop.nextDeadlineNanos();
    if (next != -1) {
      if (!autoAdvance) {
        return NAP_NANOS;
      }
      if (open && graceLeft > 0) {
        return graceLeft;
      }
      // Outside work that just ended queued its outcome before it stopped counting: run it first.
      if (!runReady()) {
        eventLoop.advanceTo(next);
        stallRestarts = 0;
      }
      return 0;
    }
    Watch w = watch;
    if (w == null || w.pending.isDone() || open) {
      return NAP_NANOS;
    }
    if (graceLeft > 0) {
      return graceLeft; // a thread of the test may still complete a promise
    }
    if (!runReady()) {
      unwatch();
      w.onDeadlock.accept(TaskReport.describeAll());
    }
    return 0;
  }

  private void advance(Advance a) {
    long target = saturatedAdd(eventLoop.virtualNanos(), a.nanos);
    try {
      while (true) {
        drainReady();
        long next = eventLoop.nextDeadlineNanos();
        if (next == -1 || next > target) {
          break;
        }
        eventLoop.advanceTo(next);
      }
      eventLoop.advanceTo(target);
      drainReady();
    } finally {
      a.done.countDown();
    }
  }

  private void drainReady() {
    while (runReady()) {
      // run until nothing is ready at this instant
    }
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }

  /** An advanceBy request. */
  private static final class Advance {
    final long nanos;
    final CountDownLatch done = new CountDownLatch(1);

    Advance(long nanos) {
      this.nanos = nanos;
    }
  }

  /** A main that the driver reports if it can never finish. */
  private static final class Watch {
    final dev.aionet.core.Promise<?> pending;
    final Consumer<List<String>> onDeadlock;

    Watch(dev.aionet.core.Promise<?> pending, Consumer<List<String>> onDeadlock) {
      this.pending = pending;
      this.onDeadlock = onDeadlock;
    }
  }
}
