package dev.aionet.core.internal;

import dev.aionet.core.CancelledException;
import dev.aionet.core.Outcome;
import dev.aionet.core.Promise;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code Aio.gather} and {@code Aio.gatherSettled}: asyncio's {@code _GatheringFuture}.
 *
 * <p>Each distinct child is counted once ({@code gather(f, f)} has one child and the value twice).
 * Without {@code settled}, the first child that fails (a cancelled child counts as failing with
 * its {@link CancelledException}) fails the gather while the others keep running; their late
 * failures are marked retrieved so nobody reports them as never retrieved. Cancelling the gather
 * cancels every unfinished child, and the gather ends {@code CANCELLED} once they settle, even
 * in settled mode (bpo-32684).
 *
 * <p>State is confined to the owner's loop thread: children settling elsewhere hop there.
 *
 * @param <T> the children's value type
 * @param <E> the list element type: {@code T}, or {@code Outcome<T>} in settled mode
 */
public final class Gather<T, E> extends ForwardingPromise<List<E>> implements Continuation {
  private final List<PromiseImpl<? extends T>> arguments;
  private final List<PromiseImpl<? extends T>> children;
  private final boolean settled;
  private int finished;
  private boolean cancelRequested;

  private Gather(LoopThread owner, List<PromiseImpl<? extends T>> arguments, boolean settled) {
    super(owner);
    this.arguments = arguments;
    this.settled = settled;
    Map<PromiseImpl<?>, Boolean> distinct = new IdentityHashMap<>();
    List<PromiseImpl<? extends T>> unique = new ArrayList<>(arguments.size());
    for (PromiseImpl<? extends T> p : arguments) {
      if (distinct.put(p, Boolean.TRUE) == null) {
        unique.add(p);
      }
    }
    this.children = unique;
  }

  /** {@code gather(...)}: fails with the first failure. */
  public static <T> Promise<List<T>> all(Collection<? extends Promise<? extends T>> promises) {
    return start(promises, false);
  }

  /** {@code gather(..., return_exceptions=True)}: every outcome, in argument order. */
  public static <T> Promise<List<Outcome<T>>> settled(Collection<? extends Promise<? extends T>> promises) {
    return start(promises, true);
  }

  private static <T, E> Promise<List<E>> start(Collection<? extends Promise<? extends T>> promises, boolean settled) {
    LoopThread ctx = LoopThread.require();
    Objects.requireNonNull(promises, "promises");
    List<PromiseImpl<? extends T>> arguments = new ArrayList<>(promises.size());
    for (Promise<? extends T> p : promises) {
      arguments.add(Promises.adapt(Objects.requireNonNull(p, "a promise in gather")));
    }
    Gather<T, E> gather = new Gather<>(ctx, arguments, settled);
    if (arguments.isEmpty()) {
      gather.trySucceed(List.of()); // asyncio: gather() is an already-resolved future with []
      return gather;
    }
    for (PromiseImpl<? extends T> child : gather.children) {
      child.markRetrieved(); // asyncio marks late exceptions retrieved (test_one_exception)
      child.addListener(gather);
    }
    return gather;
  }


  @Override
  public void resume(PromiseImpl<?> child) {
    finished++;
    if (result != null) {
      return;
    }
    Object outcome = child.result;
    if (!settled && outcome instanceof Failure) {
      Failure f = (Failure) outcome;
      if (cancelRequested && f.isCancellation()) {
        settleCancelled((CancelledException) f.cause);
      } else {
        // A cancelled child fails the gather with its CancelledException: FAILED, not CANCELLED.
        tryFail(f.cause);
      }
      return;
    }
    if (finished < children.size()) {
      return;
    }
    if (cancelRequested) {
      Failure f = firstCancellation();
      settleCancelled(f != null ? (CancelledException) f.cause : new CancelledException());
      return;
    }
    trySucceed(collect());
  }

  private Failure firstCancellation() {
    for (PromiseImpl<? extends T> child : children) {
      Object r = child.result;
      if (r instanceof Failure && ((Failure) r).isCancellation()) {
        return (Failure) r;
      }
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private List<E> collect() {
    Object[] values = new Object[arguments.size()];
    for (int i = 0; i < values.length; i++) {
      Object r = arguments.get(i).result;
      if (settled) {
        values[i] = r instanceof Failure ? Outcome.failure(((Failure) r).cause) : Outcome.success(value(r));
      } else {
        values[i] = value(r);
      }
    }
    return (List<E>) Collections.unmodifiableList(Arrays.asList(values));
  }

  private static Object value(Object r) {
    return r == NULL ? null : r;
  }

  /** Cancels every unfinished child; true if any accepted (asyncio's _GatheringFuture.cancel). */
  @Override
  boolean requestCancel(String message) {
    if (result != null) {
      return false;
    }
    // Set first: a leaf child settles inside cancel() and resumes this gather inline.
    cancelRequested = true;
    boolean any = false;
    for (PromiseImpl<? extends T> child : children) {
      if (child.cancel(message)) {
        any = true;
      }
    }
    if (!any && result == null) {
      cancelRequested = false;
    }
    return any;
  }

  @Override
  public String toString() {
    return "Gather[" + children.size() + " children, " + finished + " done] " + super.toString();
  }
}
