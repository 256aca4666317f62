package dev.aionet.streams.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;

import dev.aionet.core.CompletablePromise;
import dev.aionet.core.Promise;
import dev.aionet.core.internal.LoopThread;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;

/** What the writer tests share: reading what reached an embedded channel, and waiting a turn. */
final class WriterTesting {
  private WriterTesting() {}

  /** Everything written out of {@code ch} so far, as ASCII; the buffers are released. */
  static String drainOutbound(EmbeddedChannel ch) {
    StringBuilder out = new StringBuilder();
    for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
      out.append(b.toString(US_ASCII));
      b.release();
    }
    return out.toString();
  }

  /** Completes on the loop's next turn, after the callbacks queued before it (the turn's flush). */
  static Promise<Void> nextTurn() {
    CompletablePromise<Void> next = CompletablePromise.create();
    LoopThread.require().callSoon(() -> next.complete(null));
    return next;
  }
}
