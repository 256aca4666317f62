package dev.aionet.samples;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.util.HexFormat;
import javax.net.ssl.SSLException;

/** The echo server's {@code --tls} certificate: made at start-up for "localhost", never trusted by anyone. */
final class SelfMadeCertificate {
  private static SelfSignedCertificate certificate;

  private SelfMadeCertificate() {}

  private static synchronized SelfSignedCertificate certificate() throws CertificateException {
    if (certificate == null) {
      certificate = new SelfSignedCertificate("localhost");
    }
    return certificate;
  }

  static SslContext serverContext() {
    try {
      SelfSignedCertificate c = certificate();
      return SslContextBuilder.forServer(c.certificate(), c.privateKey()).build();
    } catch (CertificateException | SSLException e) {
      throw new IllegalStateException("cannot make a self-signed certificate: " + e.getMessage(), e);
    }
  }

  static String fingerprint() {
    try {
      byte[] der = certificate().cert().getEncoded();
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
    } catch (Exception e) {
      throw new IllegalStateException("cannot fingerprint the certificate", e);
    }
  }
}
