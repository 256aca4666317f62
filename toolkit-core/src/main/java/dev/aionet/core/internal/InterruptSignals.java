package dev.aionet.core.internal;

import dev.aionet.core.CancelledException;
import dev.aionet.core.Task;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ctrl-C (SIGINT) and SIGTERM while a thread waits in {@code Loop.runUntilComplete} (and so in
 * {@code Aio.run}): as {@code asyncio.run} does with Ctrl-C, the main task is cancelled, its
 * derivations run, and the wait ends with {@link InterruptedBySignal} (a
 * {@link CancelledException}), so the program's {@code finally} blocks run too. If nothing
 * catches it, the thread's death exits the JVM with the signal's usual status, 128 + its number
 * (130, 143), as the JVM's own handling would have. A program that catches it chose otherwise
 * and lives on.
 *
 * <p>A main task that ignores its cancellation gets {@value #GRACE_SECONDS} s (the wait then ends
 * anyway). A second signal, or one that arrives while no thread waits, goes to the handler that
 * was there before (the JVM's: exit at once, running shutdown hooks).
 *
 * <p>The handlers are installed once, on first use, through {@code sun.misc.Signal}
 * ({@code jdk.unsupported}, on every JDK from 17 on; reached by reflection so the build stays
 * free of internal-API warnings). Where that fails (the JVM runs with {@code -Xrs}, or the signal
 * is taken) the JVM's own handling stays.
 */
public final class InterruptSignals {
  private static final Logger log = LoggerFactory.getLogger(InterruptSignals.class);
  private static final long GRACE_SECONDS = 5;
  private static final Map<String, Integer> NUMBERS = Map.of("INT", 2, "TERM", 15);
  private static final Set<Wait> WAITING = ConcurrentHashMap.newKeySet();
  /** The handler each signal had before ours: where an unclaimed signal goes. */
  private static final Map<String, Object> PREVIOUS = new HashMap<>();
  private static boolean installed;

  private InterruptSignals() {}

  /** One thread waiting for its main task. */
  private static final class Wait {
    /** The main task, once started (a signal may come before). */
    private Task<?> task;
    /** The signal that cancelled the task ("INT", "TERM"), or null; then the deadline for it. */
    private String signal;
    private long deadline;
    private boolean cancelled;

    synchronized void started(Task<?> main) {
      task = main;
      cancelIfSignalled();
      notifyAll();
    }

    /** On the signal thread: true if this wait takes the signal (its first). */
    synchronized boolean signalled(String name) {
      if (signal != null) {
        return false;
      }
      signal = name;
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GRACE_SECONDS);
      cancelIfSignalled();
      notifyAll();
      return true;
    }

    private void cancelIfSignalled() {
      if (signal != null && task != null && !cancelled) {
        cancelled = true;
        task.cancel("interrupted by SIG" + signal);
      }
    }

    synchronized void wake() {
      notifyAll();
    }

    synchronized String await() throws InterruptedException {
      while (!task.isDone()) {
        if (signal == null) {
          wait();
        } else {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            break; // it ignored the cancellation: Loop.close() reports it
          }
          TimeUnit.NANOSECONDS.timedWait(this, left);
        }
      }
      return signal;
    }
  }

  /**
   * Starts the main task and blocks until it settles, returning its value as {@code join()}
   * would; a SIGINT or SIGTERM from before the start on cancels it (see the class comment).
   *
   * @param start starts the main task
   * @param <T> its value type
   * @return its value
   * @throws InterruptedBySignal if a signal cancelled it (or it ignored the cancellation)
   */
  public static <T> T runUntilComplete(Supplier<Task<T>> start) {
    install();
    Wait wait = new Wait();
    WAITING.add(wait); // before the task runs: a signal from now on is this run's
    Task<T> task;
    try {
      task = start.get();
    } catch (RuntimeException | Error e) {
      WAITING.remove(wait);
      throw e;
    }
    wait.started(task);
    if (task instanceof PromiseImpl) {
      ((PromiseImpl<?>) task).addDoneListener(settled -> wait.wake()); // at once, as join() wakes
    } else {
      task.addDoneCallback(settled -> wait.wake());
    }
    String signal;
    try {
      signal = wait.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return task.join(); // as before: join() decides what an interrupted wait means
    } finally {
      WAITING.remove(wait);
    }
    if (signal != null && (!task.isDone() || task.isCancelled())) {
      // asyncio.run: a main task cancelled by Ctrl-C ends in KeyboardInterrupt.
      throw interrupted(signal);
    }
    return task.join(); // its value, or its failure: a task that recovered chose otherwise
  }

  private static InterruptedBySignal interrupted(String signal) {
    InterruptedBySignal e = new InterruptedBySignal(signal, NUMBERS.get(signal));
    Thread thread = Thread.currentThread();
    Thread.UncaughtExceptionHandler prior = thread.getUncaughtExceptionHandler();
    thread.setUncaughtExceptionHandler((t, uncaught) -> {
      if (uncaught instanceof InterruptedBySignal) {
        Runtime.getRuntime().exit(((InterruptedBySignal) uncaught).exitStatus());
      } else {
        prior.uncaughtException(t, uncaught);
      }
    });
    return e;
  }

  /** On the JVM's signal thread: cancel every waiting main task, or pass the signal on. */
  private static void onSignal(String name, Object signal) {
    boolean claimed = false;
    for (Wait w : List.copyOf(WAITING)) {
      claimed |= w.signalled(name);
    }
    if (!claimed) {
      passOn(name, signal);
    }
  }

  private static void passOn(String name, Object signal) {
    Object previous;
    synchronized (InterruptSignals.class) {
      previous = PREVIOUS.get(name);
    }
    try {
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      Class<?> signalType = Class.forName("sun.misc.Signal");
      if (handlerType.isInstance(previous)) {
        handlerType.getMethod("handle", signalType).invoke(previous, signal);
      } else {
        Runtime.getRuntime().exit(128 + NUMBERS.get(name)); // SIG_DFL/SIG_IGN objects: the JVM's default status
      }
    } catch (ReflectiveOperationException e) {
      Runtime.getRuntime().exit(128 + NUMBERS.get(name));
    }
  }

  private static synchronized void install() {
    if (installed) {
      return;
    }
    installed = true;
    try {
      Class<?> signalType = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      Method handle = signalType.getMethod("handle", signalType, handlerType);
      for (String name : NUMBERS.keySet()) {
        Object signal = signalType.getConstructor(String.class).newInstance(name);
        Object ours = Proxy.newProxyInstance(handlerType.getClassLoader(), new Class<?>[] {handlerType},
            (proxy, method, args) -> {
              if (method.getName().equals("handle")) {
                onSignal(name, args[0]);
                return null;
              }
              return switch (method.getName()) {
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> "aionet SIG" + name + " handler";
              };
            });
        try {
          PREVIOUS.put(name, handle.invoke(null, signal, ours));
        } catch (InvocationTargetException refused) { // -Xrs, or the signal is in use
          log.debug("SIG{} stays with the JVM: {}", name, refused.getCause().toString());
        }
      }
    } catch (ReflectiveOperationException | RuntimeException unavailable) {
      log.debug("no signal handling (sun.misc.Signal unavailable): {}", unavailable.toString());
    }
  }
}
