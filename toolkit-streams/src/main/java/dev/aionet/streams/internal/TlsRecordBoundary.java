package dev.aionet.streams.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslHandler;

/**
 * Tells a TLS peer's end of input from a truncation. It sits right in front of the
 * {@link SslHandler} and follows the record framing of the raw bytes (each record is a 5-byte
 * header, whose last two bytes give the length of the body that follows). A FIN that comes in the
 * middle of a record means the stream was cut short: the {@code SslHandler} would silently drop
 * the partial record and the reader would take the FIN for a clean EOF. So instead of the FIN this
 * handler passes {@link #TRUNCATED} on, and the connection's end fails the reads with an error
 * once the bytes of every complete record are read. A FIN at a record boundary stays EOF, as in
 * asyncio's SSL transport, which does not require {@code close_notify}.
 *
 * <pre>
 *   socket ─► TlsRecordBoundary ─► SslHandler ─► ... ─► ConnectionEnd
 *              FIN mid-record ──► TRUNCATED ─────────────► reads: the data, then the error
 * </pre>
 */
final class TlsRecordBoundary extends ChannelInboundHandlerAdapter {
  /** The handler's name in the pipeline. */
  static final String NAME = "aionet-tls-records";

  /** The user event passed on instead of a FIN that cut a record short. */
  static final Object TRUNCATED = new Object() {
    @Override
    public String toString() {
      return "TlsRecordBoundary.TRUNCATED";
    }
  };

  private static final int HEADER_BYTES = 5;

  /** Header bytes received of the record under way; 0 at a boundary or inside a body. */
  private int headerSeen;
  /** While a header arrives, the length it gives so far; then the body bytes still to come. */
  private int bodyLeft;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf) {
      follow((ByteBuf) msg);
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    ctx.fireUserEventTriggered(evt instanceof ChannelInputShutdownEvent && !atBoundary() ? TRUNCATED : evt);
  }

  /** Follows the record framing over the readable bytes of {@code in}, consuming nothing. */
  void follow(ByteBuf in) {
    int i = in.readerIndex();
    int end = in.writerIndex();
    while (i < end) {
      if (headerSeen == 0 && bodyLeft > 0) {
        int skip = Math.min(bodyLeft, end - i);
        bodyLeft -= skip;
        i += skip;
      } else {
        int b = in.getUnsignedByte(i++);
        headerSeen++;
        if (headerSeen == HEADER_BYTES - 1) {
          bodyLeft = b << 8;
        } else if (headerSeen == HEADER_BYTES) {
          bodyLeft |= b;
          headerSeen = 0;
        }
      }
    }
  }

  /** Whether the bytes so far end exactly where a record ends. */
  boolean atBoundary() {
    return headerSeen == 0 && bodyLeft == 0;
  }
}
