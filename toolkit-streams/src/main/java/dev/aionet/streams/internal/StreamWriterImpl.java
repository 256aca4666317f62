package dev.aionet.streams.internal;

import dev.aionet.core.LoopError;
import dev.aionet.core.Promise;
import dev.aionet.core.internal.LeafPromise;
import dev.aionet.core.internal.LoopThread;
import dev.aionet.streams.ConnectionResetException;
import dev.aionet.streams.StreamWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslContext;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * The {@link StreamWriter} of one connection: writes go to the channel unflushed and one flush
 * per loop turn sends them (Netty's EchoServerHandler habit: write, then flush once);
 * {@link #drain()} waits on the channel's writability (Netty's water marks). Small
 * {@code write(byte[])} calls on the loop thread are first gathered into one pooled buffer per
 * turn (asyncio's transport appends to one bytearray the same way), so a loop of 100-byte writes
 * costs one channel write, not one per call; the gathered bytes count in
 * {@link #writeBufferSize()} and against the high-water mark in {@link #drain()}.
 *
 * <p>Mutable state is confined to the connection's loop thread; the public methods hop there in
 * call order. The flags that decide whether a call is refused or dropped are volatile, so the
 * decision is taken on the caller's thread at call time. A hop that a closed loop refuses
 * releases the buffer it carries ({@link OwnedWrite}) or fails the call's promise.
 *
 * <p>Every idle connection holds one writer, so the writer stays one object with its rare state
 * apart ({@link Rare}), and its size is that of asyncio's {@code StreamWriter} and transport
 * together (writing, gathering, drain, half-close, close). What needs no state of its own lives
 * elsewhere: the flush decision in {@link FlushPolicy}, TLS in {@link Tls}, extra info in
 * {@link ExtraInfo}.
 */
public final class StreamWriterImpl implements StreamWriter, OwnedWrite.Target {
  /** Debug mode reports a writer whose buffer passed the high-water mark this often without drain(). */
  static final int UNDRAINED_OVERRUNS_REPORTED = 10;
  /** Gathered writes go to the channel once they reach this many bytes, or at the flush. */
  static final int GATHER_LIMIT = 16 * 1024;
  private static final int GATHER_INITIAL = 2048;
  /**
   * Bytes per flush that may be written without a promise: if the socket cannot take them at the
   * flush, {@link #writeBufferSize()} counts them out only once all of them are sent, so it is
   * high by at most this much while the socket is full.
   */
  static final int UNPROMISED_LIMIT = 64 * 1024;
  private static final AtomicIntegerFieldUpdater<StreamWriterImpl> CLOSING_STATE =
      AtomicIntegerFieldUpdater.newUpdater(StreamWriterImpl.class, "closing");
  private static final int OPEN = 0;
  private static final int CLOSING = 1;
  private static final int LINGERING = 2;
  private static final AtomicLongFieldUpdater<StreamWriterImpl> UNWRITTEN =
      AtomicLongFieldUpdater.newUpdater(StreamWriterImpl.class, "unwritten");

  private final Channel channel;
  private final ReaderSide reader;
  /** Decides when written bytes are flushed (the connection's adapter: no object of its own). */
  private final FlushPolicy flush;
  /**
   * {@link #OPEN}, {@link #CLOSING} once close() or abort() was called, {@link #LINGERING} once
   * close() half-closed the output and discards input (an updater, not an AtomicBoolean: one per
   * connection).
   */
  private volatile int closing;
  /** How long close() may discard input before it closes, in milliseconds; 0: no lingering. */
  private int lingerMillis;
  private volatile boolean eofWritten;
  /** See {@link Rare}; made on the loop thread when first needed. */
  private volatile Rare rare;
  /**
   * Bytes written to the channel and not yet to the socket; written on the loop thread only,
   * with release stores ({@link #addUnwritten}): it changes with every write, a volatile store
   * would cost a fence each time, and {@link #writeBufferSize()} from another thread only needs
   * a recent value.
   */
  private volatile long unwritten;
  /** Small byte[] writes gathered into one buffer until this turn's flush; loop thread only. */
  private ByteBuf gathered;
  /**
   * Bytes written to the channel with no promise of their own since a flush last counted them
   * out ({@link #flushed()}), at most {@link #UNPROMISED_LIMIT}; loop thread only.
   */
  private int unaccounted;
  /** drain() was called since the buffer last passed its high-water mark (debug mode's report). */
  private boolean drainedSinceOverrun;
  /** Counts to {@link #UNDRAINED_OVERRUNS_REPORTED} only. */
  private byte undrainedOverruns;

  /**
   * What most connections never need (a lost connection's error, TLS, drains that wait), kept
   * out of the writer: every field here would cost each idle connection 4 bytes.
   */
  private static final class Rare {
    volatile Throwable lostWith;
    volatile SslContext sslContext;
    /** Drains waiting for writability; loop thread only. */
    final List<LeafPromise<Void>> drainers = new ArrayList<>(2);
  }

  StreamWriterImpl(Channel channel, ReaderSide reader, FlushPolicy flush) {
    this.channel = Objects.requireNonNull(channel, "channel");
    this.reader = Objects.requireNonNull(reader, "reader");
    this.flush = Objects.requireNonNull(flush, "flush");
  }

  /** The connection's loop thread (the reader's). */
  LoopThread loopThread() {
    return reader.loopThread();
  }

  /** The rare state, made now if needed; loop thread only. */
  private Rare rare() {
    Rare r = rare;
    if (r == null) {
      r = new Rare();
      rare = r;
    }
    return r;
  }

  private Throwable lostWith() {
    Rare r = rare;
    return r == null ? null : r.lostWith;
  }

  boolean isClosingCalled() {
    return closing != OPEN;
  }

  /** Runs {@code action} on the Netty thread: now there or from an async body, else on a later pass. */
  void onLoop(Runnable action) {
    loopThread().runOnLoopThread(action);
  }

  /**
   * {@link #onLoop(Runnable)} for a public call: if the loop has shut down, {@code method} names
   * it in the loop's warning and {@code settles} (its promise, or null) fails.
   */
  private void onLoop(String method, Runnable action, LeafPromise<?> settles) {
    loopThread().runOnLoopThread(action, method, this, settles);
  }

  // ---------------------------------------------------------------- writing

  @Override
  public void write(byte[] data) {
    Objects.requireNonNull(data, "data");
    checkNotEof(null);
    if (isClosingCalled() || data.length == 0) {
      return; // asyncio: a write after close() is dropped silently
    }
    LoopThread loop = loopThread();
    if (loop.inEventLoop()) {
      gather(data);
    } else {
      ByteBuf copy = Unpooled.copiedBuffer(data); // the caller may reuse the array at once
      loop.execute(new OwnedWrite(this, copy, false));
    }
  }

  @Override
  public void write(String text, Charset cs) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(cs, "cs");
    checkNotEof(null);
    if (isClosingCalled() || text.isEmpty()) {
      return;
    }
    enqueue(ByteBufUtil.encodeString(channel.alloc(), java.nio.CharBuffer.wrap(text), cs));
  }

  @Override
  public void write(ByteBuf data) {
    Objects.requireNonNull(data, "data");
    checkNotEof(data);
    if (isClosingCalled()) {
      data.release();
      return;
    }
    enqueue(data);
  }

  @Override
  public void writeLines(Iterable<byte[]> lines) {
    Objects.requireNonNull(lines, "lines");
    for (byte[] line : lines) {
      write(line);
    }
  }

  private void checkNotEof(ByteBuf owned) {
    if (eofWritten) {
      if (owned != null) {
        owned.release();
      }
      throw new IllegalStateException("Cannot call write() after writeEof() on " + this);
    }
  }

  private void enqueue(ByteBuf data) {
    LoopThread loop = loopThread();
    if (loop.inEventLoop()) {
      writeNow(data);
    } else {
      loop.execute(new OwnedWrite(this, data, false));
    }
  }

  /**
   * Writes a message of a message connection (dev.aionet.streams.Messages): an object the pipeline's encoders
   * take. It is released if it cannot be written (after close, or the channel is gone). Any thread.
   */
  void writeMessage(Object message) {
    if (isClosingCalled()) {
      ReferenceCountUtil.release(message);
      return;
    }
    LoopThread loop = loopThread();
    if (loop.inEventLoop()) {
      writeMessageNow(message);
    } else {
      loop.execute(new OwnedWrite(this, message, true));
    }
  }

  @Override
  public void writeOnLoop(Object data, boolean message) {
    if (message) {
      writeMessageNow(data);
    } else {
      writeNow((ByteBuf) data);
    }
  }

  private void writeMessageNow(Object message) {
    if (!channel.isOpen()) {
      ReferenceCountUtil.release(message); // the connection is gone: drain() reports it
      return;
    }
    send(message, 0); // its encoded size is unknown here: Netty's water marks still count it
  }

  private void writeNow(ByteBuf data) {
    if (!channel.isOpen()) {
      data.release(); // the connection is gone: drain() reports it
      return;
    }
    pushGathered();
    int size = data.readableBytes();
    addUnwritten(size);
    sendBytes(data, size);
  }

  /**
   * Copies {@code data} into this turn's gathering buffer (asyncio's transport appends small
   * writes to one bytearray the same way): the asyncio tutorial's echo loop of 100-byte writes then costs one
   * channel write per turn, not one per call. Large writes get a buffer of their own.
   */
  private void gather(byte[] data) {
    if (!channel.isOpen()) {
      return; // the connection is gone: drain() reports it
    }
    ByteBuf g = gathered;
    if (g == null || g.readableBytes() + data.length > GATHER_LIMIT) {
      pushGathered();
      g = channel.alloc().ioBuffer(Math.max(data.length, GATHER_INITIAL));
      if (data.length < GATHER_LIMIT / 2) {
        gathered = g;
      } else {
        g.writeBytes(data);
        addUnwritten(data.length);
        sendBytes(g, data.length);
        return;
      }
    }
    g.writeBytes(data);
    addUnwritten(data.length);
    flush.written();
  }

  /** Hands the gathered bytes to the channel (already counted in {@link #unwritten}). */
  void pushGathered() {
    ByteBuf g = gathered;
    if (g != null) {
      gathered = null;
      sendBytes(g, g.readableBytes());
    }
  }

  private void send(Object data, int size) {
    if (!channel.eventLoop().inEventLoop()) {
      // An async body: a write Netty queued from its thread could land behind a later flush
      // or gathered write of the loop thread, so the loop thread makes it now.
      onLoop(() -> send(data, size));
      return;
    }
    channel.write(data, new Written(size));
    flush.written();
  }

  /**
   * Writes bytes already counted in {@link #unwritten}. With no handler in front of the adapter
   * (no TLS, no user handler) and nothing queued in the channel, the socket will most likely
   * take them at this turn's flush, so they go with Netty's void promise, as a hand-written
   * Netty echo writes them: no promise per write. They are counted out at the flush
   * ({@link #flushed()}), up to {@link #UNPROMISED_LIMIT} bytes per flush, and a write error
   * reaches the adapter as an exception in the pipeline, which fails the connection (reads,
   * drain and waitClosed report it). Otherwise each write has its {@link Written} promise, and
   * leaves {@link #writeBufferSize()} as soon as the socket took it.
   */
  private void sendBytes(ByteBuf data, int size) {
    if (!channel.eventLoop().inEventLoop()) {
      onLoop(() -> sendBytes(data, size));
      return;
    }
    if (size <= UNPROMISED_LIMIT - unaccounted && flush.firstInPipeline() && nothingQueued()) {
      unaccounted += size;
      channel.write(data, channel.voidPromise());
    } else {
      channel.write(data, new Written(size));
    }
    flush.written();
  }

  /** Whether the channel holds no flushed bytes the socket has yet to take. */
  private boolean nothingQueued() {
    io.netty.channel.ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
    return out != null && out.isEmpty();
  }

  /**
   * Counts out the bytes written without a promise, right after a flush: if the socket took
   * everything flushed they are sent; if not, an empty write with a {@link Written} promise for
   * them goes behind them and counts them out when it is reached. Loop thread only.
   */
  void flushed() {
    int batch = takeUnaccounted();
    if (batch == 0) {
      return;
    }
    io.netty.channel.ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
    if (out != null && !out.isEmpty()) {
      channel.writeAndFlush(Unpooled.EMPTY_BUFFER, new Written(batch));
      return;
    }
    addUnwritten(-batch);
    if (out != null) {
      ServerTraffic.countWritten(channel, batch);
    }
  }

  /**
   * Writes {@code barrier} behind everything written so far and flushes: its future completes
   * once all of it reached the socket (and counts the bytes written without a promise out then).
   */
  ChannelFuture flushBehind(Object barrier) {
    pushGathered();
    return channel.writeAndFlush(barrier, new Written(takeUnaccounted()));
  }

  /** The bytes written without a promise and not yet counted out, from now on the caller's to count. */
  private int takeUnaccounted() {
    int batch = unaccounted;
    unaccounted = 0;
    return batch;
  }

  /**
   * Adds {@code bytes} an encoder made of a message to the server's count of written bytes once
   * the write of {@code promise} succeeds, if {@code promise} is a writer's own.
   *
   * @return false if {@code promise} is not a writer's: the caller counts the bytes itself
   */
  static boolean countWithWrite(io.netty.channel.ChannelPromise promise, long bytes) {
    if (promise instanceof Written) {
      ((Written) promise).encoded += bytes;
      return true;
    }
    return false;
  }

  /**
   * A write's promise that settles its own write (one object per write, and no listener to add
   * or notify): once the write reached the socket, failed or was cancelled, it counts it out of
   * {@link #writeBufferSize()} and into the server's stats, and keeps the first write error:
   * Netty closes the channel after it, and drain() reports it. Each way of settling a Netty
   * promise is overridden, and the count runs once, after the one that settled it.
   */
  private final class Written extends io.netty.channel.DefaultChannelPromise {
    /** Stands for the outcome of a cancelled write: not sent, and not an error of the connection. */
    private static final Throwable CANCELLED = new java.util.concurrent.CancellationException();
    private final int size;
    /** What the codec's encoders made of a message (a message's own size is 0); loop thread. */
    long encoded;

    Written(int size) {
      super(channel);
      this.size = size;
    }

    @Override
    public boolean trySuccess(Void result) {
      return settled(super.trySuccess(result), null);
    }

    @Override
    public io.netty.channel.ChannelPromise setSuccess(Void result) {
      super.setSuccess(result); // throws if settled already
      settled(true, null);
      return this;
    }

    @Override
    public boolean tryFailure(Throwable cause) {
      return settled(super.tryFailure(cause), cause);
    }

    @Override
    public io.netty.channel.ChannelPromise setFailure(Throwable cause) {
      super.setFailure(cause); // throws if settled already
      settled(true, cause);
      return this;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      // A write cancelled before its flush never reaches the socket (Netty drops it).
      return settled(super.cancel(mayInterruptIfRunning), CANCELLED);
    }

    private boolean settled(boolean now, Throwable failure) {
      if (!now) {
        return false;
      }
      addUnwritten(-size);
      if (failure == null) {
        ServerTraffic.countWritten(channel, size + encoded);
      } else if (failure != CANCELLED && !(failure instanceof java.nio.channels.ClosedChannelException)) {
        // (A write failed by our own close() or abort() is not a connection error.) The error
        // fails the connection as a write without a promise does: down the pipeline to the
        // adapter, which fails the reads too, as asyncio's connection_lost(exc) does.
        recordError(failure);
        channel.pipeline().fireExceptionCaught(failure);
      }
      return true;
    }
  }

  @Override
  public Promise<Void> drain() {
    LoopThread loop = loopThread();
    if (loop.inEventLoop() && canProceedAtOnce()) {
      // The common case allocates nothing: writable, nothing to report.
      drainedSinceOverrun = true;
      return loop.completedVoid();
    }
    LeafPromise<Void> drained = new LeafPromise<>(loop);
    onLoop("drain()", () -> startDrain(drained), drained);
    return drained;
  }

  private boolean canProceedAtOnce() {
    return reader.exception() == null && channel.isOpen() && !isClosingCalled() && channel.isWritable()
        && (gathered == null || gathered.readableBytes() < channel.bytesBeforeUnwritable());
  }

  private void startDrain(LeafPromise<Void> drained) {
    drainedSinceOverrun = true;
    Throwable readerError = reader.exception();
    if (readerError != null) {
      drained.fail(readerError); // asyncio: the reader's exception first
      return;
    }
    if (!channel.isOpen()) {
      drained.fail(connectionLost());
      return;
    }
    if (isClosingCalled()) {
      // asyncio: drain() after close() fails once the connection is closed
      channel.closeFuture().addListener(f -> drained.fail(connectionLost()));
      return;
    }
    if (gathered != null && gathered.readableBytes() >= channel.bytesBeforeUnwritable()) {
      pushGathered(); // what is gathered would pass the high-water mark: it counts now
    }
    if (!channel.isWritable()) {
      // Over the high-water mark: push what is queued now so the socket can take it. While the
      // channel is writable, what was written goes out with this turn's coalesced flush instead:
      // flushing on every drain() would cost one send() per write in a
      // read(100)/write/drain echo loop.
      flush.flushNow();
    }
    if (channel.isWritable()) {
      drained.complete(null);
      return;
    }
    List<LeafPromise<Void>> drainers = rare().drainers;
    drainers.add(drained);
    drained.onCancel(() -> onLoop(() -> drainers.remove(drained)));
  }

  ConnectionResetException connectionLost() {
    return new ConnectionResetException("Connection lost", lostWith());
  }

  @Override
  public Promise<Void> writeAndDrain(byte[] data) {
    write(data);
    return drain();
  }

  @Override
  public long writeBufferSize() {
    // Not ChannelOutboundBuffer.totalPendingWriteBytes(): that adds Netty's per-entry overhead.
    return unwritten;
  }

  private void addUnwritten(long delta) {
    UNWRITTEN.lazySet(this, unwritten + delta);
  }

  // ---------------------------------------------------------------- half-close and close

  @Override
  public boolean canWriteEof() {
    return channel instanceof DuplexChannel;
  }

  @Override
  public void writeEof() {
    if (!canWriteEof()) {
      throw new UnsupportedOperationException("cannot half-close " + channel);
    }
    if (eofWritten) {
      return;
    }
    eofWritten = true;
    onLoop("writeEof()", () -> {
      if (isClosingCalled()) {
        return;
      }
      // Netty's shutdownOutput() fails writes still queued; shut down once they are written.
      flushBehind(Unpooled.EMPTY_BUFFER).addListener(f -> {
        if (f.isSuccess()) {
          ((DuplexChannel) channel).shutdownOutput();
        }
      });
    }, null);
  }

  /**
   * Flushes, then closes; when the input is not at EOF yet and lingering is on, the close is a
   * {@link LingeringClose} (half-close, discard input until EOF or the linger timeout, close).
   */
  @Override
  public void close() {
    if (!CLOSING_STATE.compareAndSet(this, OPEN, CLOSING)) {
      return;
    }
    onLoop("close()", () -> {
      reader.release();
      // Netty's close() drops queued writes; close once everything written before is out.
      flushBehind(flush.writeBarrier()).addListener(flushed -> {
        if (!flushed.isSuccess() || lingerMillis == 0 || !LingeringClose.start(this, lingerMillis)) {
          channel.close();
        }
      });
    }, null);
  }

  /**
   * Makes {@link #close()} linger up to {@code timeout} (zero: not at all). Set once, while the
   * connection is set up on its loop thread, before anyone can close it.
   */
  void lingerOnClose(java.time.Duration timeout) {
    this.lingerMillis = LingeringClose.millis(timeout);
  }

  /** The output is half-closed and input is being discarded: the peer's EOF closes the channel. */
  void lingering() {
    CLOSING_STATE.compareAndSet(this, CLOSING, LINGERING);
  }

  /**
   * The peer ended its input (a FIN, or TLS {@code close_notify}): a lingering close is over.
   * Loop thread only.
   */
  void inputEnded() {
    if (closing == LINGERING) {
      channel.close();
    }
  }

  /** Resets the connection (SO_LINGER 0), discarding unwritten data: asyncio's abort(). */
  void abort() {
    closing = CLOSING;
    onLoop("abort()", () -> {
      reader.release();
      dropGathered();
      if (channel.isOpen()) {
        channel.config().setOption(ChannelOption.SO_LINGER, 0);
        channel.close();
      }
    }, null);
  }

  @Override
  public boolean isClosing() {
    return isClosingCalled() || !channel.isOpen();
  }

  @Override
  public Promise<Void> waitClosed() {
    LeafPromise<Void> closed = new LeafPromise<>(loopThread());
    channel.closeFuture().addListener(f -> {
      if (lostWith() == null) {
        closed.complete(null);
      } else {
        closed.fail(connectionLost()); // asyncio: wait_closed raises the connection's error
      }
    });
    return closed;
  }

  // ---------------------------------------------------------------- info and TLS

  @Override
  public Object getExtraInfo(String name) {
    return getExtraInfo(name, null);
  }

  @Override
  public Object getExtraInfo(String name, Object defaultValue) {
    return ExtraInfo.of(channel, sslContext(), name, defaultValue);
  }

  /** Records that TLS is up on this connection, with this context. */
  void tlsStarted(SslContext context) {
    rare().sslContext = context;
  }

  private SslContext sslContext() {
    Rare r = rare;
    return r == null ? null : r.sslContext;
  }

  @Override
  public Promise<Void> startTls(SslContext context) {
    return startTls(context, null);
  }

  @Override
  public Promise<Void> startTls(SslContext context, String serverHostname) {
    Objects.requireNonNull(context, "context");
    LeafPromise<Void> upgraded = new LeafPromise<>(loopThread());
    onLoop("startTls()", () -> Tls.upgrade(this, context, serverHostname, upgraded), upgraded);
    return upgraded;
  }

  /** A handler was put in front of the adapter (TLS): the read burst's flush can no longer be trusted. */
  void handlerAddedInFront() {
    flush.readBurstInterrupted();
  }

  @Override
  public Channel channel() {
    return channel;
  }

  // ---------------------------------------------------------------- events from the adapter

  /** An I/O error broke the connection; later drains and waitClosed report it. */
  void recordError(Throwable error) {
    Rare r = rare();
    if (r.lostWith == null) {
      r.lostWith = error;
    }
  }

  /** The channel's writability changed: wakes every drainer when writable (gh-74116). */
  void writabilityChanged() {
    if (channel.isWritable()) {
      wakeDrainers(null);
      return;
    }
    if (!drainedSinceOverrun && ++undrainedOverruns == UNDRAINED_OVERRUNS_REPORTED && loopThread().loop().isDebug()) {
      loopThread().loop().reportError(new LoopError("write buffer of " + channel + " passed its high-water mark "
          + UNDRAINED_OVERRUNS_REPORTED + " times without drain(); memory is unbounded without drain()",
          null, Optional.empty(), Optional.of(channel)));
    }
    drainedSinceOverrun = false;
  }

  /** The channel closed: drainers fail, the connection's bytes are gone. */
  void closed() {
    addUnwritten(-takeUnaccounted()); // never flushed, or lost with the connection
    dropGathered();
    wakeDrainers(connectionLost());
  }

  /** Releases gathered bytes that can no longer be sent (reset, or the channel is gone). */
  private void dropGathered() {
    ByteBuf g = gathered;
    if (g != null) {
      gathered = null;
      addUnwritten(-g.readableBytes());
      g.release();
    }
  }

  private void wakeDrainers(Throwable error) {
    Rare r = rare;
    if (r == null || r.drainers.isEmpty()) {
      return;
    }
    List<LeafPromise<Void>> drainers = r.drainers;
    List<LeafPromise<Void>> woken = new ArrayList<>(drainers);
    drainers.clear();
    for (LeafPromise<Void> d : woken) {
      if (error == null) {
        d.complete(null);
      } else {
        d.fail(error);
      }
    }
  }

  @Override
  public String toString() {
    return "StreamWriter[" + channel + (isClosingCalled() ? ", closing" : "") + (eofWritten ? ", eof written" : "") + "]";
  }
}
