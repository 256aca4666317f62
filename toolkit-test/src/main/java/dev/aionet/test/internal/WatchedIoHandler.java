package dev.aionet.test.internal;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.ThreadAwareExecutor;
import java.util.ArrayList;
import java.util.List;

/**
 * Netty's NIO handler, watched: it tells the driver when I/O events came and whether any channel
 * is still registered, and it blocks in {@code select} for the real time the driver asks for.
 *
 * <p>Why its own blocking time: Netty computes how long {@code select} may block from the next
 * scheduled task's deadline minus {@code System.nanoTime()}, but on a virtual clock that deadline
 * is virtual time, so the two cannot be mixed. The driver decides instead (the rest of the I/O
 * grace, or a bounded nap) and any task handed to the loop still wakes {@code select} at once.
 */
final class WatchedIoHandler implements IoHandler {
  private final IoHandler delegate;
  private final List<IoRegistration> registrations = new ArrayList<>();
  private final Context context = new Context();
  /** System.nanoTime() of the last I/O event; loop thread only. */
  long lastIoNanos = System.nanoTime();

  private WatchedIoHandler(IoHandler delegate) {
    this.delegate = delegate;
  }

  /** Makes the one handler of a {@link VirtualEventLoop} and keeps it for the driver. */
  static final class Factory implements IoHandlerFactory {
    private final IoHandlerFactory nio = NioIoHandler.newFactory();
    private WatchedIoHandler made;

    @Override
    public IoHandler newHandler(ThreadAwareExecutor executor) {
      made = new WatchedIoHandler(nio.newHandler(executor));
      return made;
    }

    WatchedIoHandler handler() {
      return made;
    }
  }

  /** Whether a channel is registered (a listening or connected socket can still bring I/O). */
  boolean hasOpenChannels() {
    registrations.removeIf(r -> !r.isValid());
    return !registrations.isEmpty();
  }

  /** Sets how long the next blocking run may wait in {@code select}, in real nanoseconds. */
  void blockFor(long nanos) {
    context.blockNanos = nanos;
  }

  @Override
  public void initialize() {
    delegate.initialize();
  }

  @Override
  public int run(IoHandlerContext outer) {
    context.outer = outer;
    int handled = delegate.run(context);
    if (handled > 0) {
      lastIoNanos = System.nanoTime();
    }
    return handled;
  }

  @Override
  public void prepareToDestroy() {
    delegate.prepareToDestroy();
  }

  @Override
  public void destroy() {
    delegate.destroy();
  }

  @Override
  public IoRegistration register(IoHandle handle) throws Exception {
    IoRegistration registration = delegate.register(handle);
    registrations.add(registration);
    return registration;
  }

  @Override
  public void wakeup() {
    delegate.wakeup();
  }

  @Override
  public boolean isCompatible(Class<? extends IoHandle> handleType) {
    return delegate.isCompatible(handleType);
  }

  /** The event loop's context with the driver's real blocking time in place of Netty's. */
  private static final class Context implements IoHandlerContext {
    IoHandlerContext outer;
    long blockNanos;

    @Override
    public boolean canBlock() {
      return outer.canBlock();
    }

    @Override
    public long delayNanos(long currentTimeNanos) {
      return blockNanos;
    }

    @Override
    public long deadlineNanos() {
      return System.nanoTime() + blockNanos;
    }
  }
}
