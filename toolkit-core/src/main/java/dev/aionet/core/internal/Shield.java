package dev.aionet.core.internal;

import dev.aionet.core.Promise;
import java.util.Objects;

/**
 * {@code Aio.shield}: asyncio's {@code shield}. The shield settles like the inner promise, but
 * cancelling the shield cancels only the shield: the inner promise keeps running.
 *
 * <p>Shortcut (asyncio): an inner promise that is already settled is returned as it is. Once the
 * shield is cancelled, the inner promise's later failure counts as retrieved, as asyncio's
 * {@code _inner_done_callback} does before 3.14.
 *
 * @param <T> the value type
 */
public final class Shield<T> extends PromiseImpl<T> implements Continuation {
  private Shield(LoopThread owner) {
    super(owner);
  }

  public static <T> Promise<T> start(Promise<T> promise) {
    LoopThread ctx = LoopThread.require();
    PromiseImpl<T> inner = Promises.adapt(Objects.requireNonNull(promise, "promise"));
    if (inner.isDone()) {
      return promise;
    }
    Shield<T> shield = new Shield<>(ctx);
    inner.markRetrieved();
    inner.addListener(shield);
    return shield;
  }


  @Override
  public void resume(PromiseImpl<?> inner) {
    settleLike(inner.result);
  }

  @Override
  public String toString() {
    return "Shield " + super.toString();
  }
}
