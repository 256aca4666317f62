package dev.aionet.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.internal.CancellableLeaf;
import dev.aionet.core.internal.LeafPromise;
import dev.aionet.core.internal.Listener;
import dev.aionet.core.internal.LoopCore;
import dev.aionet.core.internal.LoopRequest;
import dev.aionet.core.internal.LoopThread;
import dev.aionet.core.internal.LoopWork;
import dev.aionet.core.internal.PromiseImpl;
import dev.aionet.core.internal.TaskImpl;
import dev.aionet.testing.InternalUse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * toolkit-streams is built on toolkit-core's implementation, not only on its API: the types of
 * {@code dev.aionet.core.internal} it may use are exactly the allowed ones below, each with the
 * reason. A new use fails here, naming where it is; so does an allowed type no longer used.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ModuleBoundaryTest {
  /** The core internals streams relies on, and why; extend only with a reason. */
  private static final Map<String, String> CORE_INTERNALS = Map.of(
      LoopThread.class.getName(), "the connection's loop thread: reads, writes and settling happen there",
      LoopCore.class.getName(), "the loop's Netty event loop group and channel factory, for servers and clients",
      PromiseImpl.class.getName(), "promise listeners: the server's per-connection record listens to its task",
      Listener.class.getName(), "a listener without a wrapper object: one field less per connection",
      LeafPromise.class.getName(), "promises the streams settle themselves (drain, close, server start and stop)",
      CancellableLeaf.class.getName(), "complete/fail of the promises streams settle, declared there",
      LoopRequest.class.getName(), "a pending read is its own promise and its own hop: one object per read",
      LoopWork.class.getName(), "a write from another thread releases its buffer if a closed loop refuses it",
      TaskImpl.class.getName(), "each connection's handler task, named from a shared prefix without a String",
      dev.aionet.core.internal.LoopTurns.class.getName(), "a connection's read burst counts as one turn in Loop.stats()");

  @Test
  void streamsUsesExactlyTheAllowedCoreInternals() {
    InternalUse use = InternalUse.of("dev.aionet.streams", List.of("dev.aionet.core.internal"));
    assertThat(use.differencesFrom(CORE_INTERNALS, "dev.aionet.streams.ModuleBoundaryTest.CORE_INTERNALS"))
        .isEmpty();
  }
}
