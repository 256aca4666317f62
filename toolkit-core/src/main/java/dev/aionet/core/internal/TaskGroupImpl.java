package dev.aionet.core.internal;

import dev.aionet.core.CancelledException;
import dev.aionet.core.Coroutine;
import dev.aionet.core.Promise;
import dev.aionet.core.Task;
import dev.aionet.core.TaskGroup;
import dev.aionet.core.TaskGroupException;
import dev.aionet.core.ThrowingFunction;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@code Aio.taskGroup}: asyncio 3.13's {@code TaskGroup}, as a promise that settles once the
 * body's promise and every child are done.
 *
 * <pre>
 *   group G ──waits on──► body B   and   children C1..Cn
 *     first failure (a child's, or the body's) ⇒ abort: cancel every child and B (own cancel)
 *     G.cancel(msg)  ⇒ B.cancel(msg) (B may recover, as a coroutine may catch CancelledError)
 *                      and cancel every child; end CANCELLED
 *     all done ⇒ errors?  TaskGroupException(errors in order)   (errors beat a cancellation)
 *                cancelled from outside?  CANCELLED
 *                else B's value
 * </pre>
 *
 * <p>The group never cancels its parent task: it cancels its body's promise, which carries the
 * request inward. When the group ends with errors while the task that created it is being
 * cancelled ({@code cancelling() > 0}), it re-delivers that cancellation to the task after the
 * error has been seen, so the next await of the task is cancelled instead of the request being
 * swallowed (asyncio 3.13, gh-116720).
 *
 * <p>{@link VirtualMachineError}s are not grouped: the group fails with the first one itself
 * (asyncio lets {@code KeyboardInterrupt}/{@code SystemExit} through bare).
 *
 * <p>State is confined to the owner's loop thread; {@link #cancel} from another thread hops
 * there, and {@link #createTask} must be called on it.
 *
 * @param <T> the body's value type
 */
public final class TaskGroupImpl<T> extends ForwardingPromise<T> implements TaskGroup, Continuation {
  /** The group whose abort is cancelling a body right now on this thread (see #redeliverGroupCancel). */
  private static final ThreadLocal<TaskGroupImpl<?>> ABORTING = new ThreadLocal<>();

  private final TaskImpl<?> parentTask;
  private final Set<TaskImpl<?>> children = new LinkedHashSet<>();
  private final List<Throwable> errors = new ArrayList<>();
  private final Continuation childDone = new ChildDone();
  private Throwable baseError;
  private PromiseImpl<T> body;
  private Object bodyOutcome;
  private boolean bodyCancelledByUs;
  private boolean aborting;
  private boolean finished;
  /** A cancellation from outside that must end the group CANCELLED (unless there are errors). */
  private CancelledException propagate;
  private boolean cancelledFromOutside;
  /** The enclosing group whose abort cancelled this one, if the request came that way. */
  private TaskGroupImpl<?> cancelledByGroup;

  private TaskGroupImpl(LoopThread owner) {
    super(owner);
    this.parentTask = owner.currentTask;
  }

  public static <T> Promise<T> start(ThrowingFunction<TaskGroup, Promise<T>> body) {
    LoopThread ctx = LoopThread.require();
    Objects.requireNonNull(body, "body");
    TaskGroupImpl<T> group = new TaskGroupImpl<>(ctx);
    Promise<T> promise;
    try {
      promise = body.apply(group);
      if (promise == null) {
        throw new NullPointerException("the body of a task group returned null instead of a promise");
      }
    } catch (Throwable t) {
      group.onBodyDone(Failure.failed(t));
      return group;
    }
    PromiseImpl<T> b = Promises.adapt(promise);
    group.body = b;
    b.markRetrieved();
    b.addListener(group);
    return group;
  }

  // ---------------------------------------------------------------- children

  @Override
  public <R> Task<R> createTask(Coroutine<R> coroutine) {
    return spawn(coroutine, null);
  }

  @Override
  public <R> Task<R> createTask(Coroutine<R> coroutine, String name) {
    return spawn(coroutine, Objects.requireNonNull(name, "name"));
  }

  private <R> Task<R> spawn(Coroutine<R> coroutine, String name) {
    Objects.requireNonNull(coroutine, "coroutine");
    if (!owner.inEventLoop()) {
      throw new IllegalStateException("TaskGroup.createTask() must be called on the group's loop thread");
    }
    if (finished) {
      throw new IllegalStateException("TaskGroup " + this + " is finished");
    }
    if (aborting) {
      throw new IllegalStateException("TaskGroup " + this + " is shutting down");
    }
    TaskImpl<R> task = TaskImpl.start(owner, coroutine, name);
    children.add(task);
    task.markRetrieved(); // its failure is reported through the group
    task.addListener(childDone);
    return task;
  }

  /** Resumes the group on its loop thread when a child settles. */
  private final class ChildDone implements Continuation {
    @Override
    public LoopThread owner() {
      return owner;
    }

    @Override
    public void resume(PromiseImpl<?> child) {
      onChildDone(child);
    }

    @Override
    public void refused(IllegalStateException loopClosed) {
      tryFail(loopClosed); // the group can never hear of its child: it fails instead of waiting forever
    }
  }

  private void onChildDone(PromiseImpl<?> source) {
    TaskImpl<?> child = (TaskImpl<?>) source;
    children.remove(child);
    Object outcome = child.result;
    if (outcome instanceof Failure && !((Failure) outcome).isCancellation()) {
      recordError(((Failure) outcome).cause);
      abort();
    }
    maybeFinish();
  }

  private void recordError(Throwable error) {
    if (error instanceof VirtualMachineError && baseError == null) {
      baseError = error;
    }
    errors.add(error);
  }

  /** Cancels every unfinished child and the body (asyncio's _abort plus the parent's cancel). */
  private void abort() {
    if (aborting) {
      return;
    }
    aborting = true;
    for (TaskImpl<?> child : List.copyOf(children)) {
      child.cancel(null);
    }
    cancelBody();
  }

  /** Cancels the body if it is still running, marking the request as this group's own. */
  private void cancelBody() {
    PromiseImpl<T> b = body;
    if (b != null && bodyOutcome == null && b.result == null) {
      bodyCancelledByUs = true;
      TaskGroupImpl<?> previous = ABORTING.get();
      ABORTING.set(this);
      try {
        b.cancel(null);
      } finally {
        ABORTING.set(previous);
      }
    }
  }

  // ---------------------------------------------------------------- the body


  @Override
  public void resume(PromiseImpl<?> source) {
    onBodyDone(source.result);
  }

  private void onBodyDone(Object outcome) {
    if (bodyOutcome != null) {
      return;
    }
    bodyOutcome = outcome;
    if (outcome instanceof Failure) {
      Failure f = (Failure) outcome;
      if (!f.isCancellation()) {
        recordError(f.cause);
      } else if (cancelledFromOutside || !bodyCancelledByUs) {
        // A cancellation the group did not cause passes through (asyncio: propagate_cancellation_error).
        propagate = (CancelledException) f.cause;
      }
      abort();
    }
    maybeFinish();
  }

  // ---------------------------------------------------------------- cancellation from outside

  @Override
  boolean requestCancel(String message) {
    if (result != null) {
      return false;
    }
    cancelledFromOutside = true;
    TaskGroupImpl<?> origin = ABORTING.get();
    if (origin != null && origin != this) {
      cancelledByGroup = origin;
    }
    PromiseImpl<T> b = body;
    boolean delivered = b != null && bodyOutcome == null && b.result == null && b.cancel(message);
    if (!delivered && propagate == null && !aborting) {
      // The body is done: the request hits the group's own wait for its children.
      propagate = new CancelledException(message);
    }
    abort(); // cancelling the group cancels all children
    maybeFinish();
    return true;
  }

  // ---------------------------------------------------------------- the end

  private void maybeFinish() {
    if (finished || bodyOutcome == null || !children.isEmpty()) {
      return;
    }
    finished = true;
    if (baseError != null) {
      tryFail(baseError);
      return;
    }
    if (!errors.isEmpty()) {
      tryFail(new TaskGroupException("unhandled errors in a TaskGroup (" + errors.size() + " sub-exception"
          + (errors.size() == 1 ? ")" : "s)"), errors));
      redeliverParentCancel();
      redeliverGroupCancel();
      return;
    }
    if (propagate != null) {
      settleCancelled(propagate);
      return;
    }
    settleLike(bodyOutcome);
  }

  /** gh-116720: errors won over a pending cancellation of the parent task; keep it pending. */
  private void redeliverParentCancel() {
    TaskImpl<?> parent = parentTask;
    if (cancelledFromOutside && parent != null && !parent.isDone() && parent.cancelling() > 0) {
      parent.uncancel();
      parent.cancel((String) null);
    }
  }

  /**
   * gh-116720 for nested groups: the enclosing group's abort reached this group, which ended with
   * errors instead of a cancellation, and the enclosing body may have caught them and gone on to
   * await something new. asyncio re-cancels the parent task, so that next await is cancelled; here
   * the enclosing group cancels its body again (after this group's failure was delivered).
   */
  private void redeliverGroupCancel() {
    TaskGroupImpl<?> enclosing = cancelledByGroup;
    if (enclosing != null && enclosing.owner == owner) {
      enclosing.cancelBody();
    }
  }

  @Override
  public String toString() {
    String state = finished ? "finished" : aborting ? "aborting" : "open";
    return "TaskGroup[" + state + ", " + children.size() + " children, " + errors.size() + " errors]";
  }
}
