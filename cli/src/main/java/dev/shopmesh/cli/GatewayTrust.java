package dev.shopmesh.cli;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Map;

/**
 * Whom the commands trust on an https:// gateway: Java's own certificate authorities and, when
 * SHOPMESH_TLS_CERT_FILE is set, the certificates in that file, which the gateway {@code up} starts
 * in the same environment serves. A self-signed certificate then works in the shell that started
 * the mesh, as plaintext does, without a trust store to build.
 */
final class GatewayTrust {

  static final String CERT_FILE = "SHOPMESH_TLS_CERT_FILE";

  private GatewayTrust() {
  }

  /** Whether the gateway started in this environment serves TLS (https://). */
  static boolean servesTls(Map<String, String> env) {
    return !env.getOrDefault(CERT_FILE, "").isBlank();
  }

  /** @throws IllegalArgumentException naming the variable, when its file cannot be read as PEM certificates */
  static SSLContext context(Map<String, String> env) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trustManagers(env), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot trust the gateway's certificate in " + CERT_FILE + "=" + env.get(CERT_FILE)
        + ": " + FailureWords.describe(e));
    }
  }

  private static javax.net.ssl.TrustManager[] trustManagers(Map<String, String> env) throws GeneralSecurityException {
    TrustManagerFactory javas = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    javas.init((KeyStore) null);
    if (!servesTls(env)) {
      return javas.getTrustManagers();
    }
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
    int n = 0;
    for (javax.net.ssl.TrustManager manager : javas.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        for (X509Certificate authority : x509.getAcceptedIssuers()) {
          store.setCertificateEntry("java-" + n++, authority);
        }
      }
    }
    for (Certificate certificate : certificates(Path.of(env.get(CERT_FILE).trim()))) {
      store.setCertificateEntry("gateway-" + n++, certificate);
    }
    TrustManagerFactory both = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    both.init(store);
    return both.getTrustManagers();
  }

  private static Collection<? extends Certificate> certificates(Path file) throws GeneralSecurityException {
    try (InputStream in = Files.newInputStream(file)) {
      Collection<? extends Certificate> read = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (read.isEmpty()) {
        throw new GeneralSecurityException("no PEM certificate in it");
      }
      return read;
    } catch (IOException e) {
      throw new GeneralSecurityException(FailureWords.describe(e), e);
    }
  }
}
