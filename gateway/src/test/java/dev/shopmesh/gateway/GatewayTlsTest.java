package dev.shopmesh.gateway;

import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.TestConfig;
import greeting.Greeting.HelloRequest;
import greeting.GreetingServiceGrpcClient;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The gateway given a certificate (SHOPMESH_TLS_CERT_FILE, SHOPMESH_TLS_KEY_FILE) serves its gRPC and
 * HTTP ports over TLS only, as a client that trusts the certificate sees them; the hops behind it stay
 * plaintext, and half a TLS setup stops the start, naming what is missing.
 */
class GatewayTlsTest {

  @TempDir
  static Path data;

  static SelfSignedCertificate certificate;
  static TestMesh mesh;
  static Vertx client;

  @BeforeAll
  static void start() {
    certificate = SelfSignedCertificate.create("localhost");
    mesh = TestMesh.start(TestConfig.in(data)
      .with("TLS_CERT_FILE", certificate.certificatePath())
      .with("TLS_KEY_FILE", certificate.privateKeyPath()));
    client = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    Await.result(client.close());
    mesh.close();
    certificate.delete();
  }

  /** A client trusting the certificate, reaching the gateway by the name the certificate is for. */
  private static HttpClientOptions trusting() {
    return new HttpClientOptions().setSsl(true).setUseAlpn(true).setTrustOptions(certificate.trustOptions());
  }

  @Test
  void sayHelloAnswersOverTls() {
    GrpcClient grpc = GrpcClient.client(client, new GrpcClientOptions(), trusting().setProtocolVersion(HttpVersion.HTTP_2));
    GreetingServiceGrpcClient greeter = GreetingServiceGrpcClient.create(grpc,
      SocketAddress.inetSocketAddress(mesh.grpcAddress().port(), "localhost"));
    assertThat(Await.result(greeter.sayHello(HelloRequest.getDefaultInstance())).getMessage()).isEqualTo("Hello World!");
  }

  /** The catalog over HTTPS, from catalog-service behind the gateway: HTTP/2 or HTTP/1.1, as the client's ALPN asks. */
  @Test
  void theHttpApiAnswersOverTlsInBothVersions() {
    for (HttpVersion version : new HttpVersion[] {HttpVersion.HTTP_2, HttpVersion.HTTP_1_1}) {
      // Held: Vert.x closes a client nothing refers to, failing its requests "Pool closed".
      io.vertx.core.http.HttpClient https = client.createHttpClient(trusting().setProtocolVersion(version));
      HttpClientResponse response = Await.result(https.request(HttpMethod.GET, mesh.httpPort(), "localhost", "/api/products")
        .compose(request -> request.send().compose(r -> r.body().map(body -> {
          assertThat(body.toString()).as(version.name()).contains("\"id\":\"mug\"");
          return r;
        }))));
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.version()).isEqualTo(version);
      Await.result(https.close());
    }
  }

  /**
   * The mesh page's gateway is healthy: its health check spoke plaintext to a port that serves TLS
   * only, so every gateway read NO, /metrics said 0, and status exited 1.
   */
  @Test
  void theGatewayServingTlsIsHealthyOnTheMeshPage() {
    io.vertx.core.http.HttpClient https = client.createHttpClient(trusting());
    // Checked as the page is asked for, over TLS: a first handshake on a busy machine can outlast a check.
    Await.until("the gateway healthy on the mesh page", Duration.ofSeconds(10), () -> {
      JsonObject gateway = gateway(meshPage(https));
      return gateway != null && gateway.getBoolean("healthy");
    });
    Await.result(https.close());
  }

  /**
   * A second gateway serving TLS (one more {@code ./shopmesh run gateway}) is healthy on the first's
   * mesh page: the first's health checks spoke plaintext to its TLS-only port, and read it NO.
   */
  @Test
  void anotherGatewayServingTlsIsHealthyOnTheMeshPage() {
    String second = Await.result(mesh.vertx().deployVerticle(new GatewayVerticle(tls(certificate.certificatePath(),
      certificate.privateKeyPath()))));
    io.vertx.core.http.HttpClient https = client.createHttpClient(trusting());
    try {
      Await.until("two gateways on the mesh page, both healthy", Duration.ofSeconds(10), () -> {
        List<JsonObject> gateways = gateways(meshPage(https));
        return gateways.size() == 2 && gateways.stream().allMatch(g -> g.getBoolean("healthy"));
      });
    } finally {
      Await.result(mesh.vertx().undeploy(second));
      // The mesh as the other tests know it: one gateway.
      Await.until("the second gateway gone from the mesh page", Duration.ofSeconds(10), () -> gateways(meshPage(https)).size() == 1);
      Await.result(https.close());
    }
  }

  private static JsonObject meshPage(io.vertx.core.http.HttpClient https) {
    return Await.result(https.request(HttpMethod.GET, mesh.httpPort(), "localhost", "/api/mesh")
      .compose(request -> request.send().compose(HttpClientResponse::body)).map(Buffer::toJsonObject));
  }

  private static JsonObject gateway(JsonObject view) {
    return gateways(view).stream().findFirst().orElse(null);
  }

  private static List<JsonObject> gateways(JsonObject view) {
    return view.getJsonArray("services").stream().map(JsonObject.class::cast).filter(s -> s.getString("name").equals("gateway"))
      .flatMap(s -> s.getJsonArray("replicas").stream()).map(JsonObject.class::cast).toList();
  }

  /** gRPC over HTTP/1.1 with TLS is told to let ALPN choose HTTP/2: the plaintext hint (--http2-prior-knowledge) misled there. */
  @Test
  void aGrpcCallOverHttp11WithTlsIsToldToLeaveOutHttp11() {
    io.vertx.core.http.HttpClient https = client.createHttpClient(trusting().setProtocolVersion(HttpVersion.HTTP_1_1));
    String answer = Await.result(https.request(HttpMethod.POST, mesh.grpcAddress().port(), "localhost", "/greeting.GreetingService/SayHello")
      .compose(request -> request.putHeader("content-type", "application/grpc").send(Buffer.buffer(new byte[5])))
      .compose(response -> response.body().map(body -> response.statusCode() + " " + body)));
    assertThat(answer).isEqualTo("415 gRPC needs HTTP/2 (this came over http/1.1); with curl, leave out --http1.1\n");
    Await.result(https.close());
  }

  /** A plaintext request to either port gets no answer: a port serves TLS only, never the same API unencrypted. */
  @Test
  void plaintextGetsNoAnswerOnEitherPort() {
    HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    for (int port : new int[] {mesh.httpPort(), mesh.grpcAddress().port()}) {
      assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/products")).build(),
        BodyHandlers.ofString())).as("port " + port).isInstanceOf(IOException.class);
    }
  }

  @Test
  void aCertificateWithoutItsKeyStopsTheGatewayNamingTheMissingSetting() {
    Throwable refused = deployGateway(TestConfig.in(data).with("TLS_CERT_FILE", certificate.certificatePath()));
    assertThat(refused).hasMessageContaining("SHOPMESH_TLS_KEY_FILE (--tls-key-file) must be set too");
  }

  @Test
  void aCertificateFileThatIsNotThereStopsTheGatewayNamingTheSetting() {
    Throwable refused = deployGateway(tls(data.resolve("missing.pem").toString(), certificate.privateKeyPath()));
    assertThat(refused).isInstanceOf(IllegalArgumentException.class)
      .hasMessage("SHOPMESH_TLS_CERT_FILE (--tls-cert-file) cannot be read (no such file), got " + data.resolve("missing.pem"));
  }

  /** Another certificate's key started a gateway whose every handshake failed, its log saying nothing. */
  @Test
  void theKeyOfAnotherCertificateStopsTheGatewaySayingSo() {
    SelfSignedCertificate other = SelfSignedCertificate.create("localhost");
    try {
      Throwable refused = deployGateway(tls(certificate.certificatePath(), other.privateKeyPath()));
      assertThat(refused).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(
        "SHOPMESH_TLS_KEY_FILE (--tls-key-file) is not the key of the certificate in SHOPMESH_TLS_CERT_FILE=");
    } finally {
      other.delete();
    }
  }

  /** Vert.x said "Missing -----BEGIN PRIVATE KEY----- … delimiter" of a key that had one, encrypted. */
  @Test
  void anEncryptedKeyStopsTheGatewaySayingHowToDecryptIt() throws IOException {
    Path encrypted = Files.writeString(data.resolve("encrypted.pem"),
      "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI\n-----END ENCRYPTED PRIVATE KEY-----\n");
    Throwable refused = deployGateway(tls(certificate.certificatePath(), encrypted.toString()));
    assertThat(refused).isInstanceOf(IllegalArgumentException.class)
      .hasMessageStartingWith("SHOPMESH_TLS_KEY_FILE (--tls-key-file) is an encrypted key, which the gateway cannot use:")
      .hasMessageContaining("openssl pkey -in " + encrypted);
  }

  private static Config tls(String certFile, String keyFile) {
    return TestConfig.in(data).with("GRPC_PORT", "0").with("HTTP_PORT", "0").with("TLS_CERT_FILE", certFile).with("TLS_KEY_FILE", keyFile);
  }

  private static Throwable deployGateway(Config config) {
    Vertx vertx = Vertx.vertx();
    try {
      return Await.failure(vertx.deployVerticle(new GatewayVerticle(config)));
    } finally {
      Await.result(vertx.close());
    }
  }
}
