package dev.aionet.streams.internal;

import dev.aionet.core.internal.LeafPromise;
import dev.aionet.streams.ConnectionResetException;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * TLS on a stream connection: the {@link SslHandler}s aionet puts first in a pipeline, the wait
 * for their handshake, and asyncio's {@code start_tls} upgrade of a plain connection.
 */
final class Tls {
  static final String NAME = "aionet-ssl";

  private Tls() {}

  /**
   * Puts {@code ssl} at the end of {@code pipeline}, with the {@link TlsRecordBoundary} in front
   * of it that tells a truncated stream from a clean end.
   */
  static void addLast(ChannelPipeline pipeline, SslHandler ssl) {
    pipeline.addLast(TlsRecordBoundary.NAME, new TlsRecordBoundary());
    pipeline.addLast(NAME, ssl);
  }

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

  /**
   * Once {@code ssl}'s handshake ends: on success records TLS on {@code writer} and runs
   * {@code onReady}; on failure passes the cause (unwrapped from Netty's wrappers) to
   * {@code onFailed}. Runs on the channel's loop thread.
   */
  static void whenHandshaken(SslHandler ssl, SslContext context, StreamWriterImpl writer, Runnable onReady,
      Consumer<Throwable> onFailed) {
    ssl.handshakeFuture().addListener(done -> {
      if (done.isSuccess()) {
        writer.tlsStarted(context);
        onReady.run();
      } else {
        onFailed.accept(ConnectionEnd.unwrap(done.cause()));
      }
    });
  }

  /**
   * asyncio's {@code start_tls} on {@code writer}'s connection, settling {@code upgraded}: stops
   * reading, so the peer's first TLS bytes are not taken for plain data, flushes what was written
   * in plain text, then puts TLS in front of everything and reads again. Loop thread only.
   */
  static void upgrade(StreamWriterImpl writer, SslContext context, String serverHostname,
      LeafPromise<Void> upgraded) {
    Channel channel = writer.channel();
    if (writer.isClosingCalled() || !channel.isActive()) {
      upgraded.fail(writer.connectionLost());
      return;
    }
    if (channel.pipeline().get(SslHandler.class) != null) {
      upgraded.fail(new IllegalStateException("TLS is already on for " + channel));
      return;
    }
    channel.config().setAutoRead(false);
    writer.flushBehind(Unpooled.EMPTY_BUFFER).addListener(flushed -> {
      if (!flushed.isSuccess()) {
        upgraded.fail(new ConnectionResetException("Connection lost before TLS started", flushed.cause()));
        return;
      }
      SslHandler ssl = context.isClient() ? clientFor(context, channel, serverHostname) : context.newHandler(channel.alloc());
      channel.pipeline().addFirst(NAME, ssl);
      channel.pipeline().addFirst(TlsRecordBoundary.NAME, new TlsRecordBoundary());
      writer.handlerAddedInFront();
      channel.config().setAutoRead(true);
      whenHandshaken(ssl, context, writer, () -> upgraded.complete(null), upgraded::fail);
    });
  }

  /** A client handler for the peer of {@code channel}, checked against {@code serverHostname} if given. */
  private static SslHandler clientFor(SslContext context, Channel channel, String serverHostname) {
    SocketAddress peer = channel.remoteAddress();
    boolean inet = peer instanceof InetSocketAddress;
    String host = serverHostname != null ? serverHostname
        : inet ? ((InetSocketAddress) peer).getHostString() : "localhost";
    return client(context, channel, host, inet ? ((InetSocketAddress) peer).getPort() : -1);
  }
}
