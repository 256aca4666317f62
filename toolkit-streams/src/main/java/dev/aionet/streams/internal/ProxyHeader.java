package dev.aionet.streams.internal;

import dev.aionet.core.LoopError;
import dev.aionet.core.internal.LoopCore;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PROXY protocol header of a connection accepted behind a load balancer: Netty's {@link
 * HAProxyMessageDecoder} first in the pipeline, then this handler, which takes the decoded
 * {@link HAProxyMessage}, keeps the client it names, releases it and leaves the pipeline.
 *
 * <pre>
 *   socket ─► HAProxyMessageDecoder ─► ProxyHeader ─► [SslHandler] ─► user handlers ─► StreamAdapter
 *             (removes itself after    (removes itself after
 *              the header)              the header; starts the handler without TLS)
 * </pre>
 *
 * <p>An invalid header ({@link HAProxyProtocolException}), or none within the set-up timeout,
 * closes the connection and goes to the loop's exception handler. A connection closed before
 * sending a byte (a load balancer's TCP health check) is only logged at debug level.
 */
final class ProxyHeader extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ProxyHeader.class);
  static final String DECODER_NAME = "aionet-proxy-decoder";
  static final String NAME = "aionet-proxy";
  /** The client the header reported, or the proxy itself when it reported none (LOCAL, UNKNOWN). */
  private static final AttributeKey<SocketAddress> CLIENT = AttributeKey.valueOf(ProxyHeader.class, "client");

  private final LoopCore core;
  private final Runnable onHeader;
  private ScheduledFuture<?> deadline;
  private boolean received;
  private boolean refused;

  private ProxyHeader(LoopCore core, Runnable onHeader) {
    this.core = core;
    this.onHeader = onHeader;
  }

  /**
   * Puts the decoder and this handler first in {@code ch}'s pipeline.
   *
   * @param onHeader run once the header arrived (on the channel's thread), or null
   * @param timeout how long the header may take
   */
  static void install(Channel ch, LoopCore core, Runnable onHeader, Duration timeout) {
    ProxyHeader header = new ProxyHeader(core, onHeader);
    ch.pipeline().addFirst(NAME, header);
    ch.pipeline().addFirst(DECODER_NAME, new HAProxyMessageDecoder());
    if (!timeout.isNegative() && !timeout.isZero()) {
      header.deadline = ch.eventLoop().schedule(header.new Late(ch, timeout), timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof HAProxyMessage)) {
      ctx.fireChannelRead(msg);
      return;
    }
    HAProxyMessage header = (HAProxyMessage) msg;
    try {
      ctx.channel().attr(CLIENT).set(clientOf(header, ctx.channel()));
    } finally {
      header.release();
    }
    received = true;
    if (deadline != null) {
      deadline.cancel(false);
    }
    ctx.pipeline().remove(this);
    if (onHeader != null) {
      onHeader.run();
    }
  }

  /** The source the header names, or the proxy's address for LOCAL, UNKNOWN and Unix sockets. */
  private static SocketAddress clientOf(HAProxyMessage header, Channel ch) {
    HAProxyProxiedProtocol.AddressFamily family = header.proxiedProtocol().addressFamily();
    if (header.command() == HAProxyCommand.LOCAL || header.sourceAddress() == null
        || (family != HAProxyProxiedProtocol.AddressFamily.AF_IPv4
            && family != HAProxyProxiedProtocol.AddressFamily.AF_IPv6)) {
      return ch.remoteAddress();
    }
    try {
      // an IP literal, checked by the decoder: getByName parses it, no name lookup
      return new InetSocketAddress(InetAddress.getByName(header.sourceAddress()), header.sourcePort());
    } catch (UnknownHostException e) {
      throw new HAProxyProtocolException("invalid source address in PROXY header: " + header.sourceAddress(), e);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!received && cause instanceof HAProxyProtocolException) {
      if (!refused) { // the decoder may go on failing on the rest of what arrived with the header
        refuse(ctx.channel(), "Invalid PROXY protocol header", cause);
      }
      return;
    }
    ctx.fireExceptionCaught(cause);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (deadline != null) {
      deadline.cancel(false);
    }
    if (!refused) {
      log.debug("{} closed before its PROXY protocol header", ctx.channel());
    }
    ctx.fireChannelInactive();
  }

  private void refuse(Channel ch, String why, Throwable cause) {
    refused = true;
    if (deadline != null) {
      deadline.cancel(false);
    }
    core.reportError(new LoopError(why + " from " + ch.remoteAddress() + "; connection closed",
        cause, Optional.empty(), Optional.of(ch)));
    ch.close();
  }

  /** No header in time: the set-up timeout. */
  private final class Late implements Runnable {
    private final Channel ch;
    private final Duration timeout;

    Late(Channel ch, Duration timeout) {
      this.ch = ch;
      this.timeout = timeout;
    }

    @Override
    public void run() {
      if (!received && ch.isOpen()) {
        refuse(ch, "No PROXY protocol header within " + timeout,
            new HAProxyProtocolException("no PROXY protocol header within " + timeout));
      }
    }
  }

  /** {@code getExtraInfo("peername")}: the client a PROXY header reported, else the socket's peer. */
  static SocketAddress peerName(Channel ch) {
    SocketAddress client = ch.hasAttr(CLIENT) ? ch.attr(CLIENT).get() : null;
    return client != null ? client : ch.remoteAddress();
  }

  /** {@code getExtraInfo("proxy_peername")}: the proxy's address, or null without a PROXY header. */
  static SocketAddress proxyPeerName(Channel ch) {
    return ch.hasAttr(CLIENT) && ch.attr(CLIENT).get() != null ? ch.remoteAddress() : null;
  }
}
