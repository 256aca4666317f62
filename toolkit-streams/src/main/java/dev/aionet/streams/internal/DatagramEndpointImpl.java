package dev.aionet.streams.internal;

import dev.aionet.core.LoopError;
import dev.aionet.core.Promise;
import dev.aionet.core.internal.LeafPromise;
import dev.aionet.core.internal.LoopThread;
import dev.aionet.streams.Datagram;
import dev.aionet.streams.DatagramEndpoint;
import dev.aionet.streams.DatagramOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DatagramEndpoint}: the only handler of its UDP channel's pipeline, which copies each
 * received datagram out of Netty's buffer (released at once) into a {@link ReceiveQueue}.
 *
 * <pre>
 *   socket ─► DatagramPacket (room for maxDatagramSize + 1 bytes) ─► channelRead
 *                 ├─ longer than maxDatagramSize, or the queue full ─► dropped()
 *                 └─ else a byte[] copy ─► ReceiveQueue ─► receive()
 *   send() ─► pooled copy ─► channel.write ─► FlushPolicy: one flush per read burst, else per turn
 * </pre>
 *
 * <p>I/O errors (an ICMP error on a connected socket, a send the OS refused) go to the next
 * receive, as asyncio's {@code error_received}; the channel stays open. Other errors go to the
 * loop's exception handler.
 */
public final class DatagramEndpointImpl extends FlushPolicy
    implements DatagramEndpoint, ChannelFutureListener, OwnedWrite.Target {
  /** The handler's name in the pipeline. */
  public static final String NAME = "aionet-datagram";
  private static final Logger log = LoggerFactory.getLogger(DatagramEndpointImpl.class);

  private final Channel channel;
  private final LoopThread loop;
  private final int maxDatagramSize;
  private final int receiveQueue;
  private final InetSocketAddress remote;
  private final ReceiveQueue<Datagram> queue;
  private final DatagramReceiveBuffers buffers;
  private volatile InetSocketAddress local;
  /** Written on the loop thread only; volatile so {@link #dropped()} reads it from any thread. */
  private volatile long dropped;
  private List<LeafPromise<Void>> drainers;

  DatagramEndpointImpl(Channel channel, LoopThread loop, DatagramOptions options, InetSocketAddress remote,
      DatagramReceiveBuffers buffers) {
    this.buffers = buffers;
    this.channel = channel;
    this.loop = loop;
    this.maxDatagramSize = options.maxDatagramSize();
    this.receiveQueue = options.receiveQueue();
    this.remote = remote;
    this.queue = new ReceiveQueue<>(loop) { // datagrams are byte[] copies: nothing to release
      @Override
      protected String owner() {
        return "DatagramEndpoint";
      }
    };
  }

  /** The socket is bound (and connected): records its address. */
  void opened() {
    local = (InetSocketAddress) channel.localAddress();
  }

  /** The loop thread the endpoint lives on. */
  @Override
  public LoopThread loopThread() {
    return loop;
  }

  @Override
  protected Channel channel() {
    return channel;
  }

  @Override
  protected void pushHeldWrites() {
    // every send goes to the channel at once: nothing is held back
  }

  /** Datagrams waiting for receive(). Loop thread. */
  public int queued() {
    return queue.size();
  }

  // ---------------------------------------------------------------- inbound (loop thread)

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    burstTurnBegins(); // a read burst is one loop turn, with the receivers it resumes
    readArrived();
    if (!(msg instanceof DatagramPacket)) {
      ReferenceCountUtil.release(msg); // nothing else is in this pipeline: cannot happen
      return;
    }
    DatagramPacket packet = (DatagramPacket) msg;
    try {
      ByteBuf content = packet.content();
      int length = content.readableBytes();
      if (length > maxDatagramSize) {
        // The buffer holds maxDatagramSize + 1 bytes: a full one was (likely) cut by the kernel.
        dropped++;
        log.debug("{}: dropped a datagram from {} longer than maxDatagramSize ({})", this, packet.sender(),
            maxDatagramSize);
      } else if (!queue.hasPending() && queue.size() >= receiveQueue) {
        dropped++;
      } else {
        InetSocketAddress sender = packet.sender() != null ? packet.sender() : remote;
        queue.add(new Datagram(ByteBufUtil.getBytes(content), sender));
      }
    } finally {
      packet.release();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    readBurstEnded(); // what the receivers sent meanwhile leaves now, as a raw Netty echo flushes
    burstTurnEnds();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      queue.failNext(cause); // asyncio: protocol.error_received(exc); the socket stays open
    } else {
      loop.loop().reportError(new LoopError("Unexpected error on " + this, cause, Optional.empty(), Optional.of(channel)));
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (channel.isWritable()) {
      wakeDrainers();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (buffers != null) {
      buffers.release();
    }
    queue.end(true);
    wakeDrainers();
  }

  // ---------------------------------------------------------------- receive

  @Override
  public Promise<Datagram> receive() {
    return queue.receive();
  }

  @Override
  public long dropped() {
    return dropped;
  }

  // ---------------------------------------------------------------- send

  @Override
  public void send(byte[] data, InetSocketAddress to) {
    Objects.requireNonNull(to, "to");
    checkSize(data);
    if (to.isUnresolved()) {
      throw new IllegalArgumentException("unresolved address: " + to);
    }
    if (remote != null && !remote.equals(to)) {
      // asyncio: ValueError('Invalid address: must be None or <remote>')
      throw new IllegalArgumentException("Invalid address: must be " + remote + " on a connected endpoint: " + to);
    }
    write(data, to);
  }

  @Override
  public void send(byte[] data) {
    checkSize(data);
    if (remote == null) {
      throw new IllegalStateException("send(data) needs a connected endpoint; give an address to send() on " + this);
    }
    write(data, remote);
  }

  private void checkSize(byte[] data) {
    Objects.requireNonNull(data, "data");
    if (data.length > maxDatagramSize) {
      throw new IllegalArgumentException("datagram of " + data.length + " bytes is longer than maxDatagramSize ("
          + maxDatagramSize + ")");
    }
  }

  private void write(byte[] data, InetSocketAddress to) {
    if (!channel.isOpen()) {
      return; // asyncio drops sends on a closed transport
    }
    // A copy, so the caller may reuse its array (NIO would copy a heap buffer to a direct one anyway).
    ByteBuf copy = channel.alloc().directBuffer(data.length).writeBytes(data);
    Object msg = remote != null ? copy : new DatagramPacket(copy, to);
    if (loop.inEventLoop()) {
      writeOnLoop(msg, false);
    } else {
      loop.execute(new OwnedWrite(this, msg, false)); // a closed loop refuses it: the copy is released
    }
  }

  @Override
  public void writeOnLoop(Object msg, boolean message) {
    channel.write(msg).addListener(this); // a closed channel fails it and releases msg
    written(); // one flush per read burst or per turn, however many sends
  }

  /** A send's outcome: an OS error goes to the next receive (asyncio's error_received). */
  @Override
  public void operationComplete(ChannelFuture f) {
    Throwable cause = f.cause();
    if (cause instanceof IOException && !(cause instanceof ClosedChannelException) && channel.isOpen()) {
      queue.failNext(cause);
    }
  }

  @Override
  public Promise<Void> drain() {
    if (loop.inEventLoop() && (!channel.isOpen() || channel.isWritable())) {
      return loop.completedVoid();
    }
    LeafPromise<Void> drained = new LeafPromise<>(loop);
    if (loop.inEventLoop()) {
      startDrain(drained);
    } else {
      loop.runOnLoopThread(() -> startDrain(drained), "drain()", this, drained); // fails on a closed loop
    }
    return drained;
  }

  private void startDrain(LeafPromise<Void> drained) {
    flushNow(); // what is queued must go out for the buffer to fall
    if (!channel.isOpen() || channel.isWritable()) {
      drained.complete(null);
      return;
    }
    if (drainers == null) {
      drainers = new ArrayList<>(2);
    }
    drainers.add(drained);
    drained.onCancel(() -> loop.executeCleanup(() -> drainers.remove(drained)));
  }

  private void wakeDrainers() {
    if (drainers == null || drainers.isEmpty()) {
      return;
    }
    List<LeafPromise<Void>> woken = new ArrayList<>(drainers);
    drainers.clear();
    woken.forEach(d -> d.complete(null));
  }

  // ---------------------------------------------------------------- addresses, closing

  @Override
  public InetSocketAddress localAddress() {
    return local;
  }

  @Override
  public Optional<InetSocketAddress> remoteAddress() {
    return Optional.ofNullable(remote);
  }

  @Override
  public void close() {
    channel.close();
  }

  @Override
  public Promise<Void> waitClosed() {
    LeafPromise<Void> closed = new LeafPromise<>(loop);
    channel.closeFuture().addListener(f -> closed.complete(null));
    return closed;
  }

  @Override
  public String toString() {
    return "DatagramEndpoint[" + local + (remote != null ? " -> " + remote : "")
        + (channel.isOpen() ? "" : ", closed") + ", dropped=" + dropped + "]";
  }
}
