package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.error.Failure;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;

import java.util.Optional;

/**
 * TLS on the ports callers from outside the mesh reach (the gateway's gRPC and HTTP ports), from a
 * PEM certificate chain and its private key: SHOPMESH_TLS_CERT_FILE and SHOPMESH_TLS_KEY_FILE, both
 * or neither. With them a port speaks TLS only, HTTP/2 or HTTP/1.1 as ALPN agrees (gRPC clients
 * require HTTP/2 by ALPN); without them it is plaintext, h2c and HTTP/1.1, as before. The hops
 * inside the mesh stay plaintext: their encryption is a service mesh's, or a private network's.
 *
 * @param certFile the PEM certificate chain, the server's own first; null for plaintext
 * @param keyFile  its private key, PEM (PKCS#8 or PKCS#1); null for plaintext
 */
public record ServerTls(String certFile, String keyFile) {

  public static final ServerTls PLAINTEXT = new ServerTls(null, null);

  static final String CERT = "TLS_CERT_FILE";
  static final String KEY = "TLS_KEY_FILE";

  /** The two settings, refused naming the missing one when only one is set: half a TLS setup served plaintext. */
  public static ServerTls from(Config config) {
    Optional<String> cert = config.find(CERT);
    Optional<String> key = config.find(KEY);
    if (cert.isPresent() != key.isPresent()) {
      throw Config.invalid(cert.isPresent() ? KEY : CERT, "must be set too: TLS needs a certificate and its key, got only "
        + (cert.isPresent() ? "SHOPMESH_" + CERT + "=" + cert.get() : "SHOPMESH_" + KEY + "=" + key.get()));
    }
    return cert.map(c -> new ServerTls(c, key.get())).orElse(PLAINTEXT);
  }

  public boolean enabled() {
    return certFile != null;
  }

  /** The URL scheme a client uses for an HTTP port with these settings. */
  public String httpScheme() {
    return enabled() ? "https" : "http";
  }

  /** {@code options}, serving TLS if enabled. Vert.x reads the files when the server starts listening. */
  public HttpServerOptions applyTo(HttpServerOptions options) {
    return enabled()
      ? options.setSsl(true).setUseAlpn(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(certFile).setKeyPath(keyFile))
      : options;
  }

  /**
   * A server's start, failing with the settings named when TLS was the cause: Vert.x's own message
   * for a missing or unreadable file names the path but not the setting that gave it.
   */
  public <T> Future<T> named(Future<T> listening) {
    return !enabled() ? listening : listening.recover(err -> Future.failedFuture(
      err instanceof Failure ? err : Failure.precondition("cannot serve TLS with SHOPMESH_" + CERT + "=" + certFile
        + " and SHOPMESH_" + KEY + "=" + keyFile + ": " + err.getMessage())));
  }
}
