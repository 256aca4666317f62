package dev.aionet.core.internal;

/**
 * Something that waits for a promise to settle. {@link #onSettled} is called once, on the thread
 * that settled the promise (or registered the listener on a settled one); implementations hop to
 * their own loop thread when they need to.
 *
 * <p>Public for the other modules' internals only (see {@link PromiseImpl#addDoneListener}).
 */
@FunctionalInterface
public interface Listener {
  void onSettled(PromiseImpl<?> source);
}
