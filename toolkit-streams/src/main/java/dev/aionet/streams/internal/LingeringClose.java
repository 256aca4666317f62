package dev.aionet.streams.internal;

import dev.aionet.core.TimerHandle;
import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;

/**
 * nginx's {@code lingering_close} for a stream connection whose writer closed while its input was
 * not at EOF. Closing a socket that still has unread input, or that receives input after it
 * closed, makes Linux answer with a reset, and the reset makes the peer's kernel drop what it had
 * received but not yet handed to its application: the last bytes the writer sent would be lost.
 * So, once everything written is flushed: TLS sends its {@code close_notify}, the output is
 * half-closed (the FIN follows the data), and the input is read and discarded (the reader is
 * already released, so it drops what arrives) until the peer's EOF or the linger timeout; then
 * the channel closes.
 */
final class LingeringClose {
  private LingeringClose() {}

  /** The linger timeout in whole milliseconds (at least 1 for a positive one), 0 for none. */
  static int millis(Duration lingerTimeout) {
    if (lingerTimeout.isZero() || lingerTimeout.isNegative()) {
      return 0;
    }
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, lingerTimeout.toMillis()));
  }

  /**
   * Starts lingering on {@code writer}'s channel, whose writes are all flushed. Loop thread only.
   *
   * @return false when there is nothing to linger for (the input is at EOF already, or the
   *     channel cannot half-close or is gone): the caller closes at once
   */
  static boolean start(StreamWriterImpl writer, int lingerMillis) {
    Channel channel = writer.channel();
    if (!(channel instanceof DuplexChannel) || !channel.isActive() || inputEnded(channel)) {
      return false;
    }
    SslHandler ssl = channel.pipeline().get(SslHandler.class);
    if (ssl != null && !ssl.engine().isOutboundDone()) {
      // close_notify first, then the FIN behind it
      ssl.closeOutbound().addListener(sent -> halfClose(writer, lingerMillis));
    } else {
      halfClose(writer, lingerMillis);
    }
    return true;
  }

  private static void halfClose(StreamWriterImpl writer, int lingerMillis) {
    DuplexChannel channel = (DuplexChannel) writer.channel();
    if (!channel.isActive()) {
      return;
    }
    channel.shutdownOutput().addListener(done -> {
      if (!done.isSuccess() || inputEnded(channel)) {
        channel.close();
        return;
      }
      writer.lingering(); // from now on the peer's EOF closes the channel
      TimerHandle timeout = writer.loopThread().callLater(Duration.ofMillis(lingerMillis), channel::close);
      channel.closeFuture().addListener(closed -> timeout.cancel());
      channel.config().setAutoRead(true); // read to discard, whatever the reader's flow control said
      channel.read();
    });
  }

  /** Whether the peer already ended its input: a FIN, or TLS's {@code close_notify}. */
  private static boolean inputEnded(Channel channel) {
    if (((DuplexChannel) channel).isInputShutdown()) {
      return true;
    }
    SslHandler ssl = channel.pipeline().get(SslHandler.class);
    return ssl != null && ssl.engine().isInboundDone();
  }
}
