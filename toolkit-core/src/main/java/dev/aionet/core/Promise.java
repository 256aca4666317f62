package dev.aionet.core;

import dev.aionet.core.internal.Promises;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The eventual result of an asynchronous operation, settled exactly once: asyncio's
 * {@code Future}.
 *
 * <p>Unlike {@code io.netty.util.concurrent.Promise}, a Promise cannot be completed by its holder;
 * completion happens through the {@link CompletablePromise} (or {@link Task}) that created it.
 *
 * <pre>{@code
 * Promise<Integer> length = Aio.sleep(Duration.ofMillis(10), "hello").thenApply(String::length);
 * assertEquals(5, length.join());
 * }</pre>
 *
 * <p><b>States.</b> {@code PENDING}, then exactly one of {@code SUCCEEDED}, {@code FAILED},
 * {@code CANCELLED}. A promise that <em>failed with</em> a {@link CancelledException} (a
 * {@link Aio#gather} whose child was cancelled) is {@code FAILED}, as in asyncio.
 *
 * <p><b>Threading.</b> A promise created on a loop thread belongs to that thread; its callbacks
 * and derivations run there, never on a foreign thread that happened to complete it. A
 * promise created off every loop ({@link #completed}, {@link #failed}, {@link #from}) belongs to
 * none and runs callbacks on the thread that registers or settles them. Every method except
 * {@link #join()} may be called from any thread.
 *
 * <p><b>Derivations and callbacks.</b> A derivation ({@link #thenApply}, {@link #thenCompose}, ...)
 * runs inline when its source is already settled and the caller is on the owning loop thread
 * (like {@code await} on a done future), and inline when the source settles on that thread, in
 * registration order; past a nesting bound it continues on the next turn, so chains never
 * overflow the stack. {@link #addDoneCallback} always runs its callback on a later turn
 * (asyncio's {@code call_soon}).
 *
 * <p><b>Cancellation.</b> {@link #cancel()} is a request that travels inward to the leaf being
 * awaited (a timer, a read, a {@link CompletablePromise}); the promise is cancelled once that
 * request settles. Any outcome whose exception is a {@link CancelledException} counts as
 * cancellation for derivations: {@code thenApply}, {@code thenCompose}, {@code thenAccept},
 * {@code exceptionally} and {@code exceptionallyCompose} skip their function and end
 * {@code CANCELLED}; {@code whenComplete} runs and passes the cancellation on; {@code handle}
 * receives the {@code CancelledException} and may recover.
 *
 * @param <T> the value type
 * @since 0.1
 */
public interface Promise<T> {

  /** The four states of a promise. */
  enum State {
    /** Not settled yet. */
    PENDING,
    /** Settled with a value. */
    SUCCEEDED,
    /** Settled with a failure (possibly a {@link CancelledException} from a child). */
    FAILED,
    /** Cancelled. */
    CANCELLED
  }

  /**
   * Returns the current state.
   *
   * @return the state
   */
  State state();

  /**
   * Returns whether the promise has settled (succeeded, failed or been cancelled).
   *
   * @return true once settled
   */
  boolean isDone();

  /**
   * Returns whether the promise is {@code CANCELLED}.
   *
   * @return true if cancelled
   */
  boolean isCancelled();

  /**
   * Returns whether the promise is {@code SUCCEEDED}.
   *
   * @return true if it has a value
   */
  boolean isSuccess();

  /**
   * Returns whether the promise is {@code FAILED}; false for a cancelled promise.
   *
   * @return true if failed
   */
  boolean isFailed();

  /**
   * Returns the value of a succeeded promise, never blocking.
   *
   * @return the value
   * @throws InvalidStateException if not settled ({@code "Result is not ready."})
   * @throws CancelledException if cancelled
   * @throws RuntimeException the failure itself when it is unchecked; a checked failure is
   *     wrapped in {@link java.util.concurrent.CompletionException}
   */
  T result();

  /**
   * Returns the failure of a settled promise, never blocking.
   *
   * @return the failure, or {@code null} on success
   * @throws InvalidStateException if not settled ({@code "Exception is not set."})
   * @throws CancelledException if cancelled
   */
  Throwable exception();

  /**
   * Requests cancellation; equivalent to {@code cancel(null)}.
   *
   * @return false if already settled, else true
   */
  boolean cancel();

  /**
   * Requests cancellation with a message that the resulting {@link CancelledException} carries.
   * The request travels inward to what this promise waits on; the promise is cancelled once that
   * settles. Thread-safe; from a thread that does not own the promise the request hops to its loop
   * thread and this returns true while the promise is pending. If that loop has closed, the
   * request cannot travel inward any more, and the promise ends cancelled at once.
   *
   * <p><b>Unlike asyncio</b>, a leaf (a timer, a read, a {@link CompletablePromise}) settles inside
   * this call and the derivations waiting on it continue inline (see the package documentation, "Continuations and callbacks"), so on the owning thread
   * a task that awaited a leaf may already be cancelled when {@code cancel()} returns; asyncio
   * would wake it on the next loop iteration.
   *
   * @param message the cancel message, or {@code null}
   * @return false if already settled, else true
   */
  boolean cancel(String message);

  /**
   * Adds a callback that runs, on a later turn of this promise's loop, once it settles: asyncio's
   * {@code add_done_callback}. It never runs inside the call that registers it or that settles the
   * promise (for a promise owned by no loop: on the registering thread if settled, else on the
   * settling thread). A callback that throws is reported to the loop's exception handler.
   *
   * @param callback receives this promise
   * @return this promise
   */
  Promise<T> addDoneCallback(Consumer<? super Promise<T>> callback);

  /**
   * Removes a callback added with {@link #addDoneCallback} that has not been scheduled yet.
   *
   * @param callback the callback (compared by identity)
   * @return whether one was removed
   */
  boolean removeDoneCallback(Consumer<? super Promise<T>> callback);

  /**
   * Derives a promise of {@code fn(value)}: {@code x = await p; return fn(x)}.
   *
   * @param fn the function; a throw fails the derived promise
   * @param <R> the derived value type
   * @return the derived promise
   */
  <R> Promise<R> thenApply(ThrowingFunction<? super T, ? extends R> fn);

  /**
   * Derives a promise that settles like the promise {@code fn(value)} returns:
   * {@code return await fn(await p)}.
   *
   * @param fn the function; a throw, or a {@code null} result, fails the derived promise
   * @param <R> the derived value type
   * @return the derived promise
   */
  <R> Promise<R> thenCompose(ThrowingFunction<? super T, ? extends Promise<R>> fn);

  /**
   * Derives a promise that runs {@code action(value)} and then passes the value through.
   *
   * @param action the action; a throw fails the derived promise
   * @return the derived promise
   */
  Promise<T> thenAccept(ThrowingConsumer<? super T> action);

  /**
   * Derives a promise that recovers from a failure with {@code fn(error)}; a value passes through,
   * and a cancellation is not a failure here (it passes through as cancellation).
   *
   * @param fn the recovery; a throw fails the derived promise
   * @return the derived promise
   */
  Promise<T> exceptionally(ThrowingFunction<Throwable, ? extends T> fn);

  /**
   * Derives a promise that recovers from a failure with the promise {@code fn(error)} returns.
   *
   * @param fn the recovery
   * @return the derived promise
   */
  Promise<T> exceptionallyCompose(ThrowingFunction<Throwable, ? extends Promise<T>> fn);

  /**
   * Derives a promise that runs {@code action(value, error)} in every case ({@code finally}) and
   * then settles with this promise's outcome. A cancellation is passed as a
   * {@link CancelledException} and stays a cancellation. If the action throws after a success,
   * the derived promise fails with that exception; after a failure, the original failure wins.
   *
   * @param action the action; {@code error} is null on success
   * @return the derived promise
   */
  Promise<T> whenComplete(ThrowingBiConsumer<? super T, ? super Throwable> action);

  /**
   * Derives a promise of {@code fn(value, error)} for every outcome, cancellation included (as a
   * {@link CancelledException}): how a chain recovers from cancellation
   * ({@code except CancelledError: return 42}).
   *
   * @param fn the function; {@code error} is null on success
   * @param <R> the derived value type
   * @return the derived promise
   */
  <R> Promise<R> handle(ThrowingBiFunction<? super T, Throwable, ? extends R> fn);

  /**
   * Blocks a non-loop thread until the promise settles, then returns as {@link #result()}.
   *
   * @return the value
   * @throws IllegalStateException if called on a loop thread while the promise is pending (chain
   *     with {@code thenApply}/{@code thenCompose} instead of blocking the loop)
   * @throws CancelledException if cancelled
   * @throws RuntimeException the failure (checked ones wrapped in
   *     {@link java.util.concurrent.CompletionException})
   */
  T join();

  /**
   * As {@link #join()}, but gives up after {@code timeout}.
   *
   * @param timeout how long to wait; negative counts as zero
   * @return the value
   * @throws AsyncTimeoutException if the promise has not settled within the timeout
   */
  T join(Duration timeout);

  /**
   * Returns a {@link CompletableFuture} that settles like this promise; cancelling it cancels this
   * promise.
   *
   * @return the future
   */
  CompletableFuture<T> toCompletableFuture();

  /**
   * Returns a promise that already succeeded with {@code value}. It belongs to the calling loop
   * thread, or to no loop when created off every loop.
   *
   * @param value the value, may be {@code null}
   * @param <T> the value type
   * @return the promise
   */
  static <T> Promise<T> completed(T value) {
    return Promises.completed(value);
  }

  /**
   * Returns a promise that already failed with {@code error}. Even a {@link CancelledException}
   * makes it {@code FAILED} (failed <em>with</em> a cancellation), not {@code CANCELLED}.
   *
   * @param error the failure
   * @param <T> the value type
   * @return the promise
   */
  static <T> Promise<T> failed(Throwable error) {
    return Promises.failed(error);
  }

  /**
   * Adapts a {@link CompletionStage}: a {@link java.util.concurrent.CancellationException} becomes
   * {@code CANCELLED}, a {@link java.util.concurrent.CompletionException} is unwrapped, and
   * cancelling the promise cancels the stage's future where it allows it.
   *
   * @param stage the stage
   * @param <T> the value type
   * @return a promise owned by the calling loop thread, or by no loop off-loop
   */
  static <T> Promise<T> from(CompletionStage<T> stage) {
    return Promises.from(stage);
  }

  /**
   * Adapts a Netty {@link io.netty.util.concurrent.Future}; cancelling the promise cancels the
   * future.
   *
   * @param future the future
   * @param <T> the value type
   * @return a promise owned by the calling loop thread, or by no loop off-loop
   */
  static <T> Promise<T> from(io.netty.util.concurrent.Future<T> future) {
    return Promises.from(future);
  }
}
