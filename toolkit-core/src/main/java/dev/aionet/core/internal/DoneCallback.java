package dev.aionet.core.internal;

import dev.aionet.core.Promise;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A callback added with {@code addDoneCallback}: asyncio's {@code call_soon} of the callback once
 * the future is done. It runs on a later turn of the promise's loop, never inline; for a promise
 * owned by no loop, on the registering or settling thread. Each registration fires once.
 */
final class DoneCallback implements Listener, Runnable {
  private static final Logger log = LoggerFactory.getLogger(DoneCallback.class);

  final Consumer<?> callback;
  private PromiseImpl<?> source;

  DoneCallback(Consumer<?> callback) {
    this.callback = callback;
  }

  @Override
  public void onSettled(PromiseImpl<?> settled) {
    this.source = settled;
    LoopThread owner = settled.owner;
    if (owner != null) {
      owner.callSoonFromAnyThread(this); // its turn reports what the callback throws
      return;
    }
    try {
      run();
    } catch (Throwable t) {
      log.error("Exception in {}", this, t);
    }
  }

  @SuppressWarnings("unchecked")
  @Override
  public void run() {
    ((Consumer<Promise<?>>) callback).accept(source);
  }

  @Override
  public String toString() {
    return "done callback " + callback.getClass().getName() + " of " + source;
  }
}
