package dev.aionet.streams;

import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.TrustManagerFactory;

/**
 * One end of a TLS connection driven by hand: the JDK's {@link SSLEngine} over a blocking socket,
 * so that a test decides which raw bytes go out. It can send half a ClientHello, cut a record
 * short, or end the TCP stream without {@code close_notify}, which no ready-made TLS socket does.
 */
final class RawTlsPeer implements AutoCloseable {
  private static final byte[] NOTHING = new byte[0];

  final Socket socket;
  private final SSLEngine engine;
  private final InputStream in;
  /** Received bytes not yet unwrapped, in read mode. */
  private ByteBuffer netIn = ByteBuffer.allocate(64 * 1024).flip();

  private RawTlsPeer(Socket socket, SSLEngine engine) throws IOException {
    this.socket = socket;
    this.engine = engine;
    this.in = socket.getInputStream();
  }

  /** A TLS client connected (TCP only, no handshake yet) to 127.0.0.1:{@code port}, trusting {@code cert}. */
  static RawTlsPeer connect(int port, SelfSignedCertificate cert) throws IOException, GeneralSecurityException {
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    trusted.setCertificateEntry("server", cert.cert());
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    SSLEngine engine = context.createSSLEngine("localhost", port);
    engine.setUseClientMode(true);
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    return new RawTlsPeer(socket, engine);
  }

  /** The TLS server end of the next connection {@code listener} accepts, with {@code cert}'s identity. */
  static RawTlsPeer accept(ServerSocket listener, SelfSignedCertificate cert) throws IOException, GeneralSecurityException {
    KeyStore identity = KeyStore.getInstance(KeyStore.getDefaultType());
    identity.load(null, null);
    identity.setKeyEntry("server", cert.key(), new char[0], new Certificate[] {cert.cert()});
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(identity, new char[0]);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    SSLEngine engine = context.createSSLEngine();
    engine.setUseClientMode(false);
    return new RawTlsPeer(listener.accept(), engine);
  }

  /** The client's first flight, the ClientHello record, without sending it. */
  byte[] clientHello() throws IOException {
    engine.beginHandshake();
    return records(NOTHING);
  }

  /** Completes the handshake (from the start, or after {@link #clientHello()} was sent). */
  void handshake() throws IOException {
    if (engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING) {
      engine.beginHandshake();
    }
    ByteBuffer app = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    HandshakeStatus status = engine.getHandshakeStatus();
    while (status != HandshakeStatus.FINISHED && status != HandshakeStatus.NOT_HANDSHAKING) {
      switch (status) {
        case NEED_WRAP -> {
          send(records(NOTHING));
          status = engine.getHandshakeStatus();
        }
        case NEED_TASK -> {
          for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
            task.run();
          }
          status = engine.getHandshakeStatus();
        }
        default -> {
          SSLEngineResult result = engine.unwrap(netIn, app);
          if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
            receiveMore();
          } else if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
            throw new IOException("the other end closed TLS during the handshake");
          }
          status = result.getHandshakeStatus();
        }
      }
    }
  }

  /** {@code data} as TLS records (each at most 16 KiB of it), without sending them. */
  byte[] records(byte[] data) throws IOException {
    ByteBuffer src = ByteBuffer.wrap(data);
    ByteBuffer net = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    do {
      net.clear();
      SSLEngineResult result = engine.wrap(src, net);
      if (result.getStatus() != SSLEngineResult.Status.OK) {
        throw new IOException("wrap: " + result);
      }
      out.write(net.array(), 0, net.position());
    } while (src.hasRemaining());
    return out.toByteArray();
  }

  /** Sends raw bytes. */
  void send(byte[] raw) throws IOException {
    socket.getOutputStream().write(raw);
    socket.getOutputStream().flush();
  }

  /** Ends the TCP output with a FIN, and no {@code close_notify}. */
  void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  /** Reads and discards raw bytes until the other end closes (so closing this one sends no reset). */
  void discardToEof() throws IOException {
    in.transferTo(java.io.OutputStream.nullOutputStream());
  }

  /** Closes with SO_LINGER 0: the kernel sends a reset (RST) instead of a FIN. */
  void reset() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  private void receiveMore() throws IOException {
    netIn.compact();
    int n = in.read(netIn.array(), netIn.position(), netIn.remaining());
    if (n < 0) {
      throw new EOFException("the other end closed during the handshake");
    }
    netIn.position(netIn.position() + n).flip();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
