package dev.aionet.core.internal;

import dev.aionet.core.Promise;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Aio.toThread}: asyncio's {@code to_thread}. Runs blocking code off the loop and settles
 * a promise of the caller's loop thread with its outcome, so continuations resume there.
 *
 * <p>Threads: one virtual thread per call where the JVM has them (Java 21+, found at run time by
 * reflection, since the build targets Java 17), else a shared pool of daemon platform threads
 * sized as asyncio's default executor ({@code min(32, cpus + 4)}), whose idle threads expire.
 * Cancelling the promise interrupts the thread running the call (if it runs yet; if not, the call
 * never starts).
 */
public final class ToThread {
  private static final Logger log = LoggerFactory.getLogger(ToThread.class);
  private static final ExecutorService EXECUTOR = createExecutor();

  private ToThread() {}

  public static <T> Promise<T> start(Callable<T> blocking) {
    LoopThread ctx = LoopThread.require();
    Objects.requireNonNull(blocking, "blocking");
    LeafPromise<T> promise = new LeafPromise<>(ctx);
    LoopCore loop = ctx.loop;
    FutureTask<Void> running = new FutureTask<>(() -> {
      try {
        promise.complete(blocking.call());
      } catch (Throwable t) {
        promise.fail(t); // no-op when the promise was cancelled (the interrupt's outcome)
      }
    }, null) {
      @Override
      protected void done() {
        // once, after the outcome was handed to the loop, or at a cancel that stops the call
        loop.outsideWorkEnded();
      }
    };
    loop.outsideWorkStarted();
    try {
      EXECUTOR.execute(running);
    } catch (RejectedExecutionException e) {
      loop.outsideWorkEnded();
      promise.fail(e);
      return promise;
    }
    promise.onCancel(() -> running.cancel(true));
    return promise;
  }

  /** Whether calls run on virtual threads (Java 21+). */
  public static boolean usesVirtualThreads() {
    return !(EXECUTOR instanceof ThreadPoolExecutor);
  }

  private static ExecutorService createExecutor() {
    try {
      Object executor = java.util.concurrent.Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
      log.debug("toThread runs on virtual threads");
      return (ExecutorService) executor;
    } catch (ReflectiveOperationException | RuntimeException notAvailable) {
      int size = Math.min(32, Runtime.getRuntime().availableProcessors() + 4);
      AtomicInteger ids = new AtomicInteger();
      ThreadPoolExecutor pool = new ThreadPoolExecutor(size, size, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
          r -> {
            Thread t = new Thread(r, "aionet-to-thread-" + ids.incrementAndGet());
            t.setDaemon(true);
            return t;
          });
      pool.allowCoreThreadTimeOut(true);
      log.debug("toThread runs on a pool of {} platform threads (no virtual threads in this JVM)", size);
      return pool;
    }
  }
}
