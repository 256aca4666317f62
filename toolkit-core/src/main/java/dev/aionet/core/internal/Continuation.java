package dev.aionet.core.internal;

import java.util.ArrayDeque;

/**
 * What resumes when an awaited promise settles: a {@link Derived} promise's function or a
 * {@link TaskImpl}'s completion. It resumes on its owner's loop thread, inline where the
 * {@code dev.aionet.core} package documentation ("Continuations and callbacks") allows; a continuation owned by no loop resumes on the settling thread through a thread-local
 * trampoline, so a long chain never grows the stack.
 */
interface Continuation extends Listener {

  /** The loop thread this continuation resumes on, or null (the settling thread). */
  LoopThread owner();

  /** The awaited promise settled: resume on the owner's thread ({@link #dispatch}). */
  @Override
  default void onSettled(PromiseImpl<?> source) {
    dispatch(owner(), this, source);
  }

  void resume(PromiseImpl<?> source);

  /**
   * Resumes a continuation that would have run inline but was moved to the next turn by the
   * nesting bound. Logically it already ran when its source settled, so a cancel request that
   * arrives in between must not replace the source's outcome (it would drop a value, an item taken
   * from a queue, say, that the continuation already owned).
   */
  default void resumeAfterDepthBound(PromiseImpl<?> source) {
    resume(source);
  }

  /**
   * The owner's loop thread shut down before this continuation could resume there, so it never
   * will: a continuation that is a promise (a derivation, a task...) fails with
   * {@code loopClosed} rather than stay pending forever.
   */
  default void refused(IllegalStateException loopClosed) {
    if (this instanceof PromiseImpl) {
      ((PromiseImpl<?>) this).tryFail(loopClosed);
    }
  }

  /** Resumes {@code c} for its owner: hops to the owner's thread, nests within the depth bound. */
  static void dispatch(LoopThread owner, Continuation c, PromiseImpl<?> source) {
    if (owner != null) {
      owner.dispatch(c, source);
    } else {
      Trampoline.run(c, source);
    }
  }

  /** The thread-local trampoline of continuations owned by no loop. */
  final class Trampoline {
    private static final ThreadLocal<Trampoline> LOCAL = ThreadLocal.withInitial(Trampoline::new);

    private final ArrayDeque<Object> pending = new ArrayDeque<>();
    private boolean running;

    private Trampoline() {}

    static void run(Continuation c, PromiseImpl<?> source) {
      Trampoline t = LOCAL.get();
      if (t.running) {
        t.pending.add(c);
        t.pending.add(source);
        return;
      }
      t.running = true;
      try {
        c.resume(source);
        while (!t.pending.isEmpty()) {
          Continuation next = (Continuation) t.pending.poll();
          next.resume((PromiseImpl<?>) t.pending.poll());
        }
      } finally {
        t.pending.clear();
        t.running = false;
      }
    }
  }
}
