package dev.aionet.streams.internal;

import dev.aionet.core.internal.LoopThread;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * When a connection's writes reach the socket: one flush per read burst or per loop turn, never
 * one per write. It owns both flags the decision needs, and is the base class of the inbound
 * adapter that ends a connection's pipeline (so the policy costs no object of its own).
 *
 * <pre>
 *   write() ──► flushPending? ──yes──► nothing more to do
 *                    │ no
 *                    ▼
 *          in a read burst, adapter first in the pipeline, not inside an aionet callback?
 *              │ yes                                   │ no
 *              ▼                                       ▼
 *   channelReadComplete() flushes             callSoon(this): the turn's flush
 * </pre>
 *
 * <p>A reply written while a request is being read leaves when Netty's read loop ends its burst
 * with {@code channelReadComplete}, as a raw Netty echo handler flushes, and needs no turn
 * callback. That relies on one property of Netty's read loop: every burst of {@code channelRead}
 * calls it makes ends with one {@code channelReadComplete} (Netty's own
 * {@code FlushConsolidationHandler} relies on the same). The policy trusts it only where it holds:
 * <ul>
 *   <li>the adapter is first in the pipeline, both when the burst began and when the write is
 *       made, so no handler in front can swallow the event (a handler added in front mid-burst, as
 *       {@code startTls} does, sends later writes to the turn's flush; {@link #readBurstInterrupted}
 *       sends the earlier ones there too);
 *   <li>the read did not come from code aionet runs as a callback (a task step, a timer, a
 *       continuation that hopped threads): a {@code fireChannelRead} made there is not Netty's read
 *       loop, so no {@code channelReadComplete} may follow.
 * </ul>
 * Code that fires {@code channelRead} into a stream channel directly from a plain Netty task must
 * follow it with {@code fireChannelReadComplete}, as Netty's read loop does.
 *
 * <p>Loop thread only.
 */
public abstract class FlushPolicy extends ChannelInboundHandlerAdapter implements Runnable {
  /** A write was made and not yet flushed. */
  private boolean flushPending;
  /**
   * This read burst opened a loop turn (a read burst is one turn in {@code Loop.stats()}, with the
   * handler code it resumes inline), to end with the burst. It fills a padding byte of the
   * adapters: no cost per idle connection.
   */
  private boolean burstTurn;
  /** Between a {@code channelRead} of Netty's read loop and its {@code channelReadComplete}. */
  private boolean inReadBurst;

  /** The channel to flush. */
  protected abstract Channel channel();

  /** The channel's loop thread. */
  protected abstract LoopThread loopThread();

  /** Hands writes held back by the writer (gathered bytes) to the channel before a flush. */
  protected abstract void pushHeldWrites();

  /**
   * What the writer writes to learn that everything before it reached the socket (see
   * {@link WriteBarrier}): an empty buffer unless a codec's encoders stand in the way.
   */
  Object writeBarrier() {
    return io.netty.buffer.Unpooled.EMPTY_BUFFER;
  }

  /** Called by a {@code channelRead}: a burst of Netty's read loop may start. */
  protected final void readArrived() {
    if (!inReadBurst && !loopThread().isRunningCallback()) {
      inReadBurst = firstInPipeline();
    }
  }

  /** Called by {@code channelReadComplete}: the burst ended; what it wrote leaves now. */
  protected final void readBurstEnded() {
    inReadBurst = false;
    flushIfPending();
  }

  /**
   * The pipeline in front of the adapter changed mid-burst (a handler that might swallow
   * {@code channelReadComplete} was added): writes made so far leave with the turn's flush.
   */
  final void readBurstInterrupted() {
    if (inReadBurst) {
      inReadBurst = false;
      if (flushPending) {
        loopThread().callSoon(this);
      }
    }
  }

  /** Called for every write handed to the channel or held back for it. */
  final void written() {
    if (!flushPending) {
      flushPending = true;
      if (!flushesAtReadBurstEnd()) {
        loopThread().callSoon(this); // one flush per turn, however many writes
      }
    }
  }

  /** No handler stands in front of this one: what the channel reads and writes passes nothing else. */
  final boolean firstInPipeline() {
    return channel().pipeline().first() == this;
  }

  /** Whether the read burst in progress will flush what is written now. */
  final boolean flushesAtReadBurstEnd() {
    return inReadBurst && firstInPipeline();
  }

  /** The turn's flush, unless an earlier one (at the end of a read burst) already sent it all. */
  final void flushIfPending() {
    if (flushPending) {
      flushNow();
    }
  }

  /** Flushes at once: what the writer holds back, then everything written, goes to the socket. */
  final void flushNow() {
    if (!channel().eventLoop().inEventLoop()) {
      // An async body: a flush Netty queued from its thread could pass writes of the loop thread.
      loopThread().runOnLoopThread(this::flushNow);
      return;
    }
    pushHeldWrites(); // first: with flushPending still set, this queues no second flush
    flushPending = false;
    channel().flush();
    flushed();
  }

  /** Right after a flush of held writes (the stream writer counts out what went without a promise). */
  protected void flushed() {}

  /** Opens the read burst's loop turn, unless a turn is open already. */
  final void burstTurnBegins() {
    if (!burstTurn) {
      burstTurn = loopThread().turns().beginIfNone();
    }
  }

  /** Ends the turn {@link #burstTurnBegins} opened, if it did. */
  final void burstTurnEnds() {
    if (burstTurn) {
      burstTurn = false;
      loopThread().turns().endIfOpened(this, 1);
    }
  }

  /** The turn's flush (this object is that loop callback). */
  @Override
  public final void run() {
    flushIfPending();
  }
}
