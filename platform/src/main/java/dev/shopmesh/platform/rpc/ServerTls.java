package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.impl.KeyStoreHelper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Collections;
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

  /** {@code options}, serving TLS if enabled. Vert.x reads the files again when the server starts listening. */
  public HttpServerOptions applyTo(HttpServerOptions options) {
    return enabled()
      ? options.setSsl(true).setUseAlpn(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(certFile).setKeyPath(keyFile))
      : options;
  }

  /**
   * The two files read and checked at start, off the event loop, each problem said naming its
   * setting: Vert.x's own messages named a path but no setting ("Missing -----BEGIN PRIVATE KEY-----
   * … delimiter" for an encrypted key), and a key of another certificate started a gateway whose
   * every handshake then failed, with nothing in its log.
   */
  public Future<ServerTls> checked(Vertx vertx) {
    return !enabled() ? Future.succeededFuture(this) : vertx.executeBlocking(() -> {
      read(CERT, certFile);
      if (read(KEY, keyFile).contains("ENCRYPTED")) {
        throw Config.invalid(KEY, "is an encrypted key, which the gateway cannot use: write it unencrypted (openssl pkey -in "
          + keyFile + " -out key.pem) and give that file, got " + keyFile);
      }
      KeyStore store;
      try {
        store = new PemKeyCertOptions().setCertPath(certFile).setKeyPath(keyFile).loadKeyStore(vertx);
      } catch (Exception e) {
        throw new IllegalArgumentException("SHOPMESH_" + CERT + "=" + certFile + " and SHOPMESH_" + KEY + "=" + keyFile
          + " are not a PEM certificate and its key: " + e.getMessage());
      }
      boolean matches;
      try {
        matches = keyMatchesCertificate(store);
      } catch (GeneralSecurityException e) {
        throw Config.invalid(KEY, "cannot be checked against the certificate (" + e.getMessage() + "), got " + keyFile);
      }
      if (!matches) {
        throw Config.invalid(KEY, "is not the key of the certificate in SHOPMESH_" + CERT + "=" + certFile
          + " (every TLS handshake would fail), got " + keyFile);
      }
      return this;
    });
  }

  private static String read(String setting, String file) {
    try {
      return Files.readString(Path.of(file), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw Config.invalid(setting, "cannot be read (" + (e instanceof NoSuchFileException ? "no such file"
        : e instanceof AccessDeniedException ? "permission denied" : String.valueOf(e.getMessage())) + "), got " + file);
    }
  }

  /** Whether the key signs what the certificate's public key verifies; true for a kind of key not known here. */
  private static boolean keyMatchesCertificate(KeyStore store) throws GeneralSecurityException {
    for (String alias : Collections.list(store.aliases())) {
      if (store.getKey(alias, KeyStoreHelper.DUMMY_PASSWORD.toCharArray()) instanceof PrivateKey key) {
        String algorithm = switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default -> null;
        };
        if (algorithm == null) {
          return true;
        }
        byte[] probe = "shopmesh".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(store.getCertificateChain(alias)[0].getPublicKey());
        verifier.update(probe);
        return verifier.verify(signature);
      }
    }
    return true;
  }
}
