package dev.aionet.core.internal;

import dev.aionet.core.Loop;
import dev.aionet.core.LoopError;
import dev.aionet.core.LoopOptions;
import dev.aionet.core.Task;
import dev.aionet.core.Transport;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loop's state behind the {@link Loop} facade: its Netty group, one {@link LoopThread} per
 * thread, its unfinished tasks (strongly held: a fire-and-forget task is never collected
 * mid-flight), its exception handler and debug settings.
 */
public final class LoopCore {
  private static final Logger log = LoggerFactory.getLogger(LoopCore.class);
  private static final AtomicInteger LOOP_IDS = new AtomicInteger();
  private static final AtomicBoolean TRANSPORT_LOGGED = new AtomicBoolean();
  /** How long close() waits for tasks that ignore cancellation. */
  private static final long CLOSE_TASKS_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final Loop facade;
  private final EventLoopGroup group;
  private final boolean ownsGroup;
  private final Transport transport;
  private final LoopThread[] contexts;
  private final Map<EventExecutor, LoopThread> byExecutor;
  private final AtomicInteger nextContext = new AtomicInteger();
  private final Set<TaskTracking> unretrieved = ConcurrentHashMap.newKeySet();
  private volatile Consumer<LoopError> exceptionHandler;
  volatile boolean debug;
  private final long slowCallbackNanos;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Whether a shut-down thread of this loop has refused work yet (see {@link #firstRefusal()}). */
  private final AtomicBoolean refusedWork = new AtomicBoolean();
  /** See {@link #outsideWork()}. */
  private final AtomicInteger outsideWork = new AtomicInteger();
  /** Async bodies whose thread has not ended; close() makes sure none outlives the loop. */
  private final Set<AsyncBody<?>> bodies = ConcurrentHashMap.newKeySet();
  /**
   * Bodies that have ended but whose thread may not have exited yet (a body says it ended on
   * its own thread, just before that thread returns): close() joins these too. Pruned from the
   * head as their threads exit, so it holds only the last few.
   */
  private final Queue<AsyncBody<?>> exiting = new ConcurrentLinkedQueue<>();

  private LoopCore(Loop facade, EventLoopGroup group, boolean ownsGroup, Transport transport, LoopOptions options) {
    this.facade = facade;
    this.group = group;
    this.ownsGroup = ownsGroup;
    this.transport = transport;
    this.slowCallbackNanos = saturatedNanos(options.slowCallbackDuration());
    setDebug(options.debug());
    List<LoopThread> list = new ArrayList<>();
    Map<EventExecutor, LoopThread> map = new IdentityHashMap<>();
    for (EventExecutor executor : group) {
      LoopThread ctx = new LoopThread(executor, this);
      list.add(ctx);
      map.put(executor, ctx);
    }
    this.contexts = list.toArray(new LoopThread[0]);
    this.byExecutor = map;
    for (LoopThread ctx : contexts) {
      if (ctx.executor.inEventLoop()) {
        ctx.bindToThread();
      } else {
        ctx.executor.submit(ctx::bindToThread).syncUninterruptibly();
      }
    }
  }

  /** Creates a loop with its own Netty group. */
  public static LoopCore create(Loop facade, LoopOptions options) {
    Transport transport = resolve(options.transport());
    IoHandlerFactory handlers = switch (transport) {
      case EPOLL -> EpollIoHandler.newFactory();
      case IO_URING -> IoUringIoHandler.newFactory();
      default -> NioIoHandler.newFactory();
    };
    int id = LOOP_IDS.incrementAndGet();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(
        options.threads(), new DefaultThreadFactory("aionet-" + id, true), handlers);
    return new LoopCore(facade, group, true, transport, options);
  }

  /** Wraps a group the application owns; close() will not shut it down. */
  public static LoopCore wrap(Loop facade, EventLoopGroup group) {
    return new LoopCore(facade, group, false, guessTransport(group), LoopOptions.defaults());
  }

  private static Transport resolve(Transport requested) {
    Transport chosen = switch (requested) {
      case AUTO -> Epoll.isAvailable() ? Transport.EPOLL : Transport.NIO;
      case EPOLL -> {
        if (!Epoll.isAvailable()) {
          throw new IllegalStateException("epoll transport is not available here", Epoll.unavailabilityCause());
        }
        yield Transport.EPOLL;
      }
      case IO_URING -> {
        if (!IoUring.isAvailable()) {
          throw new IllegalStateException("io_uring transport is not available here", IoUring.unavailabilityCause());
        }
        yield Transport.IO_URING;
      }
      case NIO -> Transport.NIO;
    };
    if (TRANSPORT_LOGGED.compareAndSet(false, true)) {
      log.debug("aionet transport: {} (requested {})", chosen, requested);
    }
    return chosen;
  }

  private static Transport guessTransport(EventLoopGroup group) {
    if (group instanceof io.netty.channel.IoEventLoopGroup) {
      io.netty.channel.IoEventLoopGroup io = (io.netty.channel.IoEventLoopGroup) group;
      if (io.isIoType(EpollIoHandler.class)) {
        return Transport.EPOLL;
      }
      if (io.isIoType(IoUringIoHandler.class)) {
        return Transport.IO_URING;
      }
    }
    return Transport.NIO;
  }

  public Loop facade() {
    return facade;
  }

  public EventLoopGroup group() {
    return group;
  }

  /** The transport the loop's threads run (what channels must be built for). */
  public Transport transport() {
    return transport;
  }

  /** The context of {@code executor}, or null if it is not one of this loop's threads. */
  public LoopThread contextOf(EventExecutor executor) {
    return byExecutor.get(executor);
  }

  /** The calling thread's context if it is one of this loop's threads, else the next in turn. */
  public LoopThread currentOrNext() {
    LoopThread current = LoopThread.current();
    if (current != null && current.loop == this) {
      return current;
    }
    return contexts[Math.floorMod(nextContext.getAndIncrement(), contexts.length)];
  }

  /** The loop time in seconds: the calling loop thread's clock, else the first thread's. */
  public double time() {
    LoopThread current = LoopThread.current();
    return (current != null && current.loop == this ? current : contexts[0]).time();
  }

  /**
   * How many calls run off the loop ({@code toThread}) whose outcome has not been handed to the
   * loop yet. A loop on a virtual clock must not jump ahead while one runs: its outcome is work
   * the loop will soon have.
   */
  public int outsideWork() {
    return outsideWork.get();
  }

  void outsideWorkStarted() {
    outsideWork.incrementAndGet();
  }

  void outsideWorkEnded() {
    outsideWork.decrementAndGet();
  }

  // ---------------------------------------------------------------- tasks

  void watchUnretrieved(TaskTracking tracking) {
    unretrieved.add(tracking);
  }

  void unwatchUnretrieved(TaskTracking tracking) {
    unretrieved.remove(tracking);
  }

  /** Every unfinished task of this loop, on all its threads. */
  public Set<Task<?>> allTasks() {
    return Set.copyOf(unfinishedTasks());
  }

  private List<TaskImpl<?>> unfinishedTasks() {
    List<TaskImpl<?>> all = new ArrayList<>();
    for (LoopThread ctx : contexts) {
      ctx.collectTasks(all);
    }
    return all;
  }

  void bodyStarted(AsyncBody<?> body) {
    bodies.add(body);
  }

  void bodyEnded(AsyncBody<?> body) {
    exiting.add(body);
    bodies.remove(body);
    for (AsyncBody<?> first; (first = exiting.peek()) != null && first.threadEnded(); ) {
      exiting.remove(first);
    }
  }

  /**
   * Close's last word on async bodies: one still running after the tasks' grace period is
   * interrupted and released (its awaits throw), and close waits a bounded time for its thread.
   */
  private void endBodies(long deadline) {
    for (AsyncBody<?> body : List.copyOf(bodies)) {
      body.abandon();
    }
    List<AsyncBody<?>> all = new ArrayList<>(bodies);
    all.addAll(exiting);
    for (AsyncBody<?> body : all) {
      try {
        if (!body.awaitEnd(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))) {
          log.warn("{} ignored cancellation and interruption; its thread outlives the loop", body);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  // ---------------------------------------------------------------- errors and debug

  public void setExceptionHandler(Consumer<LoopError> handler) {
    this.exceptionHandler = handler;
  }

  /**
   * Sends an error that reached no caller to the exception handler (default: SLF4J, or stderr
   * when no SLF4J provider is bound; see {@link DefaultExceptionHandler}).
   */
  public void reportError(LoopError error) {
    Consumer<LoopError> handler = exceptionHandler;
    if (handler != null) {
      try {
        handler.accept(error);
        return;
      } catch (Throwable t) {
        DefaultExceptionHandler.handle(LoopError.of("Unhandled error in exception handler while handling: "
            + error.message(), t), debug);
      }
    }
    DefaultExceptionHandler.handle(error, debug);
  }

  void reportError(String message, Throwable error, TaskImpl<?> task, io.netty.channel.Channel channel) {
    reportError(new LoopError(message, error, Optional.ofNullable(task), Optional.ofNullable(channel)));
  }

  public boolean isDebug() {
    return debug;
  }

  /** Turns (and, in debug mode, callbacks) at least this long are slow. */
  long slowCallbackNanos() {
    return slowCallbackNanos;
  }

  /** The figures behind {@code Loop.stats()}, summed (maxima: the largest) over the threads. */
  public dev.aionet.core.LoopStats stats() {
    int tasks = 0;
    int ready = 0;
    long turns = 0;
    long slow = 0;
    long maxTurn = 0;
    long maxLag = 0;
    for (LoopThread ctx : contexts) {
      tasks += ctx.tasksAlive();
      ready += ctx.readyCallbacks();
      turns += ctx.turns.turns();
      slow += ctx.turns.slowTurns();
      maxTurn = Math.max(maxTurn, ctx.turns.takeMaxTurnNanos());
      maxLag = Math.max(maxLag, ctx.turns.takeMaxTimerLagNanos());
    }
    return new dev.aionet.core.LoopStats(contexts.length, tasks, ready, turns, slow, maxTurn, maxLag);
  }

  public void setDebug(boolean on) {
    this.debug = on;
    if (on && ResourceLeakDetector.getLevel().ordinal() < ResourceLeakDetector.Level.PARANOID.ordinal()) {
      ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }
  }

  /** Debug mode: reports a callback or task step that held the loop too long (asyncio). */
  void checkSlow(Object what, long startNanos) {
    long took = System.nanoTime() - startNanos;
    if (took >= slowCallbackNanos) {
      log.warn("Executing {} took {} seconds", what, String.format("%.3f", took / 1e9));
    }
  }

  static String describeSite(Throwable site) {
    StringBuilder b = new StringBuilder();
    for (StackTraceElement e : site.getStackTrace()) {
      String c = e.getClassName();
      if (c.startsWith("io.netty.")) {
        break; // the loop's own frames below the user's code say nothing
      }
      if (c.startsWith("dev.aionet.core.internal.") || c.startsWith("dev.aionet.core.Aio")
          || c.startsWith("dev.aionet.core.Loop")) {
        continue;
      }
      b.append("\n    at ").append(e);
    }
    return b.toString();
  }

  // ---------------------------------------------------------------- shutdown

  public boolean isClosed() {
    return closed.get();
  }

  /**
   * True for the first work this loop's shut-down threads refuse, false ever after: the loop
   * warns once, not once per write in a flood of them.
   */
  boolean firstRefusal() {
    return !refusedWork.get() && refusedWork.compareAndSet(false, true);
  }

  /**
   * Cancels what still runs, waits up to 5 s for it, reports tasks that ignored cancellation and
   * unretrieved failures, then stops the threads (an owned group) without a quiet period.
   */
  public void close() {
    if (LoopThread.current() != null) {
      throw new IllegalStateException("Loop.close() cannot be called from an event loop thread");
    }
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    long deadline = System.nanoTime() + CLOSE_TASKS_NANOS;
    for (List<TaskImpl<?>> snapshot = unfinishedTasks(); !snapshot.isEmpty() && System.nanoTime() < deadline;
        snapshot = unfinishedTasks()) {
      for (TaskImpl<?> t : snapshot) {
        t.cancel("loop is closing");
      }
      for (TaskImpl<?> t : snapshot) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        t.awaitQuietly(left);
      }
    }
    for (TaskImpl<?> t : unfinishedTasks()) {
      reportError(new LoopError("Task ignored cancellation for 5 s; loop closed anyway",
          null, Optional.of(t), Optional.empty()));
    }
    endBodies(System.nanoTime() + CLOSE_TASKS_NANOS);
    for (TaskTracking t : List.copyOf(unretrieved)) {
      t.run();
    }
    if (ownsGroup) {
      Future<?> terminated = group.shutdownGracefully(0, 5, TimeUnit.SECONDS);
      terminated.awaitUninterruptibly(10, TimeUnit.SECONDS);
    } else {
      for (LoopThread ctx : contexts) {
        ctx.executeCleanup(ctx::unbindFromThread); // nothing to unbind once the group shut down
      }
    }
  }

  /** Nanoseconds of a delay, negative counting as zero and overlong ones saturating. */
  static long delayNanos(Duration delay) {
    return delay.isNegative() ? 0 : saturatedNanos(delay);
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }
}
