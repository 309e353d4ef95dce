package dev.shopmesh.gateway;

import dev.shopmesh.catalog.CatalogVerticle;
import dev.shopmesh.order.OrderVerticle;
import dev.shopmesh.payment.PaymentVerticle;
import dev.shopmesh.platform.boot.Launcher;
import dev.shopmesh.platform.boot.MeshVerticle;
import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.log.Logs;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The whole mesh in one JVM, as {@code ./shopmesh up} runs it: four services, each a real gRPC
 * server on an ephemeral loopback port, talking to each other only over gRPC. Tests reach it as a
 * user does: HTTP on {@link #httpPort()}, gRPC on {@link #grpcAddress()}.
 */
public final class TestMesh implements AutoCloseable {

  private final Vertx vertx;
  private final Launcher.Running running;
  private final GatewayVerticle gateway;
  private final Map<String, MeshVerticle> byName;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final GrpcClient grpc;

  private TestMesh(Vertx vertx, Launcher.Running running, GatewayVerticle gateway) {
    this.vertx = vertx;
    this.running = running;
    this.gateway = gateway;
    this.byName = running.verticles().stream().collect(java.util.stream.Collectors.toMap(MeshVerticle::serviceName, v -> v));
    this.grpc = GrpcClient.client(vertx);
  }

  public static TestMesh start(Path dataDir) {
    return start(TestConfig.in(dataDir));
  }

  public static TestMesh start(Config config) {
    Logs.init(config.with("LOG_LEVEL", config.get("LOG_LEVEL", "WARNING")));
    Vertx vertx = Vertx.vertx();
    GatewayVerticle gateway = new GatewayVerticle(config);
    List<MeshVerticle> services = List.of(new CatalogVerticle(config), new PaymentVerticle(config),
      new OrderVerticle(config), gateway);
    return new TestMesh(vertx, Await.result(Launcher.start(vertx, services)), gateway);
  }

  public Vertx vertx() {
    return vertx;
  }

  public int httpPort() {
    return gateway.httpPort();
  }

  public SocketAddress grpcAddress() {
    return SocketAddress.inetSocketAddress(gateway.grpcPort(), "127.0.0.1");
  }

  /** Where a service's own gRPC server listens (for calls the gateway does not expose). */
  public SocketAddress address(String service) {
    return SocketAddress.inetSocketAddress(byName.get(service).grpcPort(), "127.0.0.1");
  }

  /**
   * Runs {@code open} on an event loop, for a call whose stream the test reads: opened from the
   * test's thread, its answer could come before the test set its handlers, and be lost.
   */
  public void onEventLoop(Runnable open) {
    vertx.runOnContext(v -> open.run());
  }

  /** The host:port of each replica of {@code service} the gateway shows in {@code /api/mesh} now. */
  public List<String> replicaAddresses(String service) {
    return get("/api/mesh").json().getJsonArray("services").stream().map(JsonObject.class::cast)
      .filter(s -> s.getString("name").equals(service))
      .flatMap(s -> s.getJsonArray("replicas").stream().map(r -> ((JsonObject) r).getString("address"))).toList();
  }

  /** How {@code /api/mesh} names {@code replica}, started here. */
  public String hostPort(MeshVerticle replica) {
    return "127.0.0.1:" + replica.grpcPort();
  }

  /** Stops one service as an outage would; the others keep running. */
  public void stop(String service) {
    int i = running.verticles().indexOf(byName.get(service));
    Await.result(vertx.undeploy(running.deployments().get(i)));
  }

  /** Starts a new replica of a service, such as one {@link #stop} stopped, coming back. */
  public void deploy(MeshVerticle replica) {
    Await.result(vertx.deployVerticle(replica));
  }

  /** A plain (not load-balanced) gRPC client for calling the gateway as an outside client would. */
  public GrpcClient grpc() {
    return grpc;
  }

  public Reply get(String path) {
    return get(path, Map.of());
  }

  public Reply get(String path, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
    headers.forEach(request::setHeader);
    return send(request);
  }

  /** A request with no body. */
  public Reply send(String method, String path) {
    return send(HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.noBody()));
  }

  /** A JSON POST; {@code headers} add to or replace its own (content-type among them). */
  public Reply post(String path, String body, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
      .header("content-type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::setHeader);
    return send(request);
  }

  public Reply post(String path, JsonObject body) {
    return post(path, body.encode(), Map.of());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + httpPort() + path);
  }

  private Reply send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.body(), response.headers());
    } catch (IOException e) {
      throw new AssertionError("HTTP request failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    Await.result(grpc.close().eventually(() -> running.close()));
  }

  /** An HTTP answer. */
  public record Reply(int status, String body, java.net.http.HttpHeaders headers) {

    /** The value of a response header, or null. */
    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    public JsonObject json() {
      return new JsonObject(body);
    }

    public io.vertx.core.json.JsonArray array() {
      return new io.vertx.core.json.JsonArray(body);
    }
  }
}
