package dev.aionet.streams.internal;

import dev.aionet.core.AsyncTimeoutException;
import dev.aionet.streams.ConnectionResetException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The server's idle and read timeouts ({@code ServerOptions.idleTimeout/readTimeout}): Netty's
 * {@link IdleStateHandler}, closing the connection itself instead of passing its events on, so a
 * user's own {@code IdleStateHandler} events never close anything. It fires an
 * {@link AsyncTimeoutException} (a timeout, reported as one: the connection goes to the loop's
 * exception handler once, and the log says "timed out", not "reset"); the stream adapter behind
 * it turns that into {@link ConnectionResetException} for the handler's reads.
 */
final class ProtectionTimeouts extends IdleStateHandler {
  static final String NAME = "aionet-timeouts";

  private final Duration read;
  private final Duration idle;

  ProtectionTimeouts(Duration read, Duration idle) {
    super(millis(read), 0, millis(idle), TimeUnit.MILLISECONDS);
    this.read = read;
    this.idle = idle;
  }

  private static long millis(Duration d) {
    return d == null ? 0 : Math.max(1, d.toMillis());
  }

  @Override
  protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
    String why = evt.state() == io.netty.handler.timeout.IdleState.READER_IDLE
        ? "read timeout: no bytes received for " + read
        : "idle timeout: no bytes either way for " + idle;
    ctx.fireExceptionCaught(new AsyncTimeoutException(why));
  }
}
