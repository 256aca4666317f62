package dev.aionet.streams;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The TLS tests' fixture, registered as a static {@code @RegisterExtension} field: before the
 * class it makes a self-signed certificate for {@code localhost}, a server context with it and a
 * client context that trusts it; after the class it deletes the certificate's files.
 */
final class SelfSignedTls implements BeforeAllCallback, AfterAllCallback {
  private SelfSignedCertificate cert;
  private SslContext serverContext;
  private SslContext clientContext;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    cert = new SelfSignedCertificate("localhost");
    serverContext = SslContextBuilder.forServer(cert.certificate(), cert.privateKey()).build();
    clientContext = SslContextBuilder.forClient().trustManager(cert.certificate()).build();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    cert.delete();
  }

  SelfSignedCertificate cert() {
    return cert;
  }

  SslContext serverContext() {
    return serverContext;
  }

  SslContext clientContext() {
    return clientContext;
  }
}
