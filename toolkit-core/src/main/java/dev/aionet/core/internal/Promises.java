package dev.aionet.core.internal;

import dev.aionet.core.CancelledException;
import dev.aionet.core.CompletablePromise;
import dev.aionet.core.Promise;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/** The static factories of {@link Promise} and {@link CompletablePromise}. */
public final class Promises {
  private Promises() {}

  public static <T> Promise<T> completed(T value) {
    return new PromiseImpl<>(LoopThread.current(), value == null ? PromiseImpl.NULL : value);
  }

  public static <T> Promise<T> failed(Throwable error) {
    Objects.requireNonNull(error, "error");
    return new PromiseImpl<>(LoopThread.current(), Failure.failed(error));
  }

  public static <T> CompletablePromise<T> create() {
    return new LeafPromise<>(LoopThread.require());
  }

  public static <T> Promise<T> from(CompletionStage<T> stage) {
    Objects.requireNonNull(stage, "stage");
    LeafPromise<T> promise = new LeafPromise<>(LoopThread.current());
    stage.whenComplete((value, error) -> {
      if (error == null) {
        promise.complete(value);
      } else {
        settleForeignFailure(promise, error);
      }
    });
    promise.onCancel(() -> {
      try {
        stage.toCompletableFuture().cancel(false);
      } catch (UnsupportedOperationException notAFuture) {
        // A stage without a future cannot be cancelled; the promise is cancelled regardless.
      }
    });
    return promise;
  }

  public static <T> Promise<T> from(io.netty.util.concurrent.Future<T> future) {
    Objects.requireNonNull(future, "future");
    LeafPromise<T> promise = new LeafPromise<>(LoopThread.current());
    future.addListener(f -> {
      if (f.isSuccess()) {
        promise.complete(future.getNow());
      } else {
        settleForeignFailure(promise, f.cause());
      }
    });
    promise.onCancel(() -> future.cancel(false));
    return promise;
  }

  /** JDK cancellation becomes CANCELLED; CompletionException/ExecutionException are unwrapped. */
  private static void settleForeignFailure(LeafPromise<?> promise, Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof CancelledException) {
      promise.settleCancelled((CancelledException) cause);
    } else if (cause instanceof CancellationException) {
      promise.settleCancelled(new CancelledException(cause.getMessage()));
    } else {
      promise.fail(cause);
    }
  }

  /** Our own promise as it is; a foreign Promise implementation behind a leaf that follows it. */
  static <T> PromiseImpl<T> adapt(Promise<T> promise) {
    if (promise instanceof PromiseImpl) {
      return (PromiseImpl<T>) promise;
    }
    LeafPromise<T> leaf = new LeafPromise<>(LoopThread.current());
    promise.handle((value, error) -> {
      if (error == null) {
        leaf.complete(value);
      } else {
        settleForeignFailure(leaf, error);
      }
      return null;
    });
    leaf.onCancel(promise::cancel);
    return leaf;
  }
}
