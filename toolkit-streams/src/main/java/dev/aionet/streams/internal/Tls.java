package dev.aionet.streams.internal;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/** Builds the {@link SslHandler}s aionet puts first in a pipeline. */
final class Tls {
  static final String NAME = "aionet-ssl";

  private Tls() {}

  /** A server-side handler with the given handshake timeout. */
  static SslHandler server(SslContext context, Channel ch, Duration handshakeTimeout) {
    SslHandler handler = context.newHandler(ch.alloc());
    handler.setHandshakeTimeoutMillis(handshakeTimeout.isNegative() ? 0 : handshakeTimeout.toMillis());
    return handler;
  }

  /**
   * A client-side handler that sends {@code hostname} (SNI) and checks the server's certificate
   * against it (asyncio's default context checks hostnames).
   */
  static SslHandler client(SslContext context, Channel ch, String hostname, int port) {
    SslHandler handler = context.newHandler(ch.alloc(), hostname, port);
    SSLEngine engine = handler.engine();
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    engine.setSSLParameters(parameters);
    return handler;
  }
}
