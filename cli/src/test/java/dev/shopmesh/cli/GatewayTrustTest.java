package dev.shopmesh.cli;

import dev.shopmesh.cli.Gateway.GatewayException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SelfSignedCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The commands against a gateway serving TLS with a self-signed certificate: trusted when
 * SHOPMESH_TLS_CERT_FILE names it, as in the shell that ran ./shopmesh up with it, and said in
 * words when it is not trusted, or when the address says http://.
 */
class GatewayTrustTest {

  static Vertx vertx;
  static SelfSignedCertificate certificate;
  static HttpServer server;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    certificate = SelfSignedCertificate.create("localhost");
    server = FakeGateway.await(vertx.createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(certificate.keyCertOptions()))
      .requestHandler(request -> request.response().end("[]"))
      .listen(0, "127.0.0.1"));
  }

  @AfterAll
  static void stop() throws Exception {
    FakeGateway.await(vertx.close());
    certificate.delete();
  }

  private static URI at(String scheme) {
    return URI.create(scheme + "://localhost:" + server.actualPort());
  }

  @Test
  void theCertificateUpWasGivenIsTrusted() throws Exception {
    Gateway gateway = new Gateway(at("https"), Map.of(GatewayTrust.CERT_FILE, certificate.certificatePath()));
    assertThat(gateway.get("/api/products")).isEqualTo("[]");
  }

  @Test
  void anUntrustedCertificateSaysWhatToSetNotThatTheMeshIsDown() {
    assertThatThrownBy(() -> new Gateway(at("https"), Map.of()).get("/api/products"))
      .isInstanceOf(GatewayException.class)
      .hasMessageContaining("the gateway's certificate is not trusted (set SHOPMESH_TLS_CERT_FILE to it")
      .hasMessageNotContaining("is the mesh running");
  }

  @Test
  void plainHttpToTlsSaysToUseHttps() {
    assertThatThrownBy(() -> new Gateway(at("http"), Map.of()).get("/api/products"))
      .isInstanceOf(GatewayException.class)
      .hasMessageContaining("a gateway serving TLS is reached with https://");
  }

  @Test
  void theDefaultAddressIsHttpsWhenUpServesTls() {
    assertThat(Gateway.defaultUrl(Map.of(GatewayTrust.CERT_FILE, "/etc/shopmesh/cert.pem", "SHOPMESH_HTTP_PORT", "8443")))
      .isEqualTo("https://localhost:8443");
  }

  @Test
  void aCertificateFileThatIsNotThereIsNamed() {
    assertThatThrownBy(() -> GatewayTrust.context(Map.of(GatewayTrust.CERT_FILE, "/nowhere/cert.pem")))
      .hasMessage("cannot trust the gateway's certificate in SHOPMESH_TLS_CERT_FILE=/nowhere/cert.pem: no such file or directory");
  }
}
