package dev.aionet.streams.internal;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.util.Objects;
import javax.net.ssl.SSLPeerUnverifiedException;

/** asyncio's {@code get_extra_info} names, answered from a stream connection's channel. */
final class ExtraInfo {
  private ExtraInfo() {}

  /**
   * The value named {@code name}: {@code peername} (behind a PROXY protocol header the client it
   * reported), {@code proxy_peername} (then the proxy's address), {@code sockname}, {@code socket} (the
   * channel), {@code sslcontext} (null before TLS), {@code peercert}; else {@code defaultValue}.
   */
  static Object of(Channel channel, SslContext sslContext, String name, Object defaultValue) {
    Objects.requireNonNull(name, "name");
    Object value = switch (name) {
      case "peername" -> ProxyHeader.peerName(channel);
      case "proxy_peername" -> ProxyHeader.proxyPeerName(channel);
      case "sockname" -> channel.localAddress();
      case "socket" -> channel;
      case "sslcontext" -> sslContext;
      case "peercert" -> sslContext == null ? null : peerCertificate(channel);
      default -> null;
    };
    return value != null ? value : defaultValue;
  }

  /** The peer's certificate once TLS is up (asyncio gives a dict; Java has the certificate). */
  private static Object peerCertificate(Channel channel) {
    SslHandler ssl = channel.pipeline().get(SslHandler.class);
    if (ssl == null) {
      return null;
    }
    try {
      Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
      return chain.length == 0 ? null : chain[0];
    } catch (SSLPeerUnverifiedException none) {
      return null; // a server that does not ask for client certificates
    }
  }
}
