package dev.shopmesh.gateway;

import dev.shopmesh.payment.PaymentVerticle;
import dev.shopmesh.platform.lb.HealthProbe;
import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.discovery.Discovery;
import dev.shopmesh.platform.rpc.GrpcCallCounts;
import dev.shopmesh.platform.rpc.MeshServer;
import dev.shopmesh.platform.rpc.RpcSettings;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.DatabaseOnlyService;
import dev.shopmesh.platform.testing.FreePort;
import dev.shopmesh.platform.testing.TestConfig;
import dev.shopmesh.proto.catalog.v1.CatalogServiceGrpcClient;
import dev.shopmesh.proto.catalog.v1.CatalogServiceGrpcService;
import dev.shopmesh.proto.catalog.v1.ListProductsRequest;
import dev.shopmesh.proto.order.v1.OrderServiceGrpcService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.vertx.grpc.server.StatusException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class OutageAndRestartTest {

  @TempDir
  Path data;

  @Test
  void withPaymentServiceDownAnOrderIs503AndItsStockIsReleased() {
    try (TestMesh mesh = TestMesh.start(data)) {
      String product = Shop.newProduct(mesh, 700, 4);
      mesh.stop("payment-service");
      TestMesh.Reply reply = mesh.post("/api/orders", Shop.order(product, 1, Shop.APPROVED_CARD));
      assertThat(reply.status()).isEqualTo(503);
      assertThat(reply.json().getString("error")).isEqualTo("UNAVAILABLE");
      // Which dependency, and what became of the charge: no replica got it, so nothing is owed.
      assertThat(reply.json().getString("message")).startsWith("no replica of payment-service is registered; "
        + "nothing was charged, stock released");
      assertThat(Shop.stock(mesh, product)).isEqualTo(4);
      // So a retry under the key is a new attempt (the message names another order), not the refusal replayed.
      Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
      String body = Shop.order(product, 1, Shop.APPROVED_CARD).encode();
      String first = mesh.post("/api/orders", body, key).json().getString("message");
      TestMesh.Reply retried = mesh.post("/api/orders", body, key);
      assertThat(retried.status()).isEqualTo(503);
      assertThat(retried.json().getString("message")).isNotEqualTo(first).contains("nothing was charged");
      assertThat(Shop.stock(mesh, product)).isEqualTo(4);
      TestMesh.Reply health = Await.value("/health to report the outage", Await.DEFAULT, () -> mesh.get("/health"),
        h -> h.status() == 503);
      assertThat(health.json().getString("status")).isEqualTo("DEGRADED");
      assertThat(health.header("retry-after")).as("as every 503 of the API says").isEqualTo("1");
      assertThat(health.json().getJsonObject("replicas").getInteger("payment-service")).isZero();
    }
  }

  @Test
  void aReadWithItsServiceDownIs503NamingTheService() {
    try (TestMesh mesh = TestMesh.start(data)) {
      mesh.stop("catalog-service");
      TestMesh.Reply reply = mesh.get("/api/products/mug");
      assertThat(reply.status()).isEqualTo(503);
      assertThat(reply.json().getString("message")).isEqualTo("no replica of catalog-service is registered");
      assertThat(reply.header("Retry-After")).as("when to try again").isEqualTo("1");
      assertThat(mesh.get("/api/products").json().getString("message")).isEqualTo("no replica of catalog-service is registered");
      // What ./shopmesh status shows: the service, with none.
      assertThat(mesh.get("/api/mesh").json().getJsonArray("services").stream().map(JsonObject.class::cast)
        .filter(s -> s.getString("name").equals("catalog-service")))
        .singleElement().satisfies(s -> assertThat(s.getJsonArray("replicas")).isEmpty());

      // Over gRPC: the streaming relay names it too, and grpc.health.v1 says the catalog reads are not served.
      Throwable listed = Await.failure(mesh.grpc().request(mesh.grpcAddress(), CatalogServiceGrpcClient.ListProducts)
        .compose(call -> call.send(ListProductsRequest.getDefaultInstance()))
        .compose(resp -> resp.end().recover(e -> Future.failedFuture(new StatusException(resp.status(), resp.statusMessage())))));
      assertThat(listed).isInstanceOfSatisfying(StatusException.class, status -> {
        assertThat(status.status()).isEqualTo(GrpcStatus.UNAVAILABLE);
        assertThat(status.message()).isEqualTo("no replica of catalog-service is registered");
      });
      assertThat(Await.value("catalog reads reported down", Await.DEFAULT, () -> health(mesh, CatalogServiceGrpcService.SERVICE_NAME),
        status -> status != ServingStatus.SERVING)).isEqualTo(ServingStatus.NOT_SERVING);
      assertThat(health(mesh, OrderServiceGrpcService.SERVICE_NAME)).isEqualTo(ServingStatus.SERVING);
      assertThat(health(mesh, null)).as("the gateway itself").isEqualTo(ServingStatus.SERVING);
    }
  }

  /** {@code grpc.health.v1.Health/Check} on the gateway's gRPC port: a service, or the server when null. */
  private static ServingStatus health(TestMesh mesh, ServiceName service) {
    HealthCheckRequest ask = HealthCheckRequest.newBuilder().setService(service == null ? "" : service.fullyQualifiedName()).build();
    return Await.result(mesh.grpc().request(mesh.grpcAddress(), HealthProbe.CHECK)
      .compose(call -> call.send(ask)).compose(GrpcClientResponse::last)).getStatus();
  }

  @Test
  void aRetryUnderTheKeyOfAnOrderRefusedForAnOutagePlacesItOnceTheOutageIsOver() {
    // A quick sweep, so that the refund the refused order owes is retried soon after payment-service is back.
    Config config = TestConfig.in(data).with("SAGA_STALE_MS", "300").with("SAGA_SWEEP_MS", "200");
    try (TestMesh mesh = TestMesh.start(config)) {
      String product = Shop.newProduct(mesh, 700, 4);
      String body = Shop.order(product, 1, Shop.APPROVED_CARD).encode();
      Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
      // A broken payment-service that receives charges and fails them (as a failed deploy would): a
      // charge may have been made, so the refused order owes a refund until payment-service is back.
      mesh.stop("payment-service");
      String broken = Await.result(mesh.vertx().deployVerticle(new DatabaseOnlyService("payment-service", config)));
      TestMesh.Reply refused = mesh.post("/api/orders", body, key);
      assertThat(refused.status()).isEqualTo(503);
      // While the outage lasts, the refused order owes its refund: a retry answers that refusal (its
      // message names the order) and starts nothing.
      TestMesh.Reply during = mesh.post("/api/orders", body, key);
      assertThat(during.status()).isEqualTo(503);
      assertThat(during.json().getString("message")).isEqualTo(refused.json().getString("message"));

      Await.result(mesh.vertx().undeploy(broken));
      mesh.deploy(new PaymentVerticle(config));
      // Clients retrying at once (several gateways, or one client's retries crossing): whichever
      // gives the key back, they all end up with the one order it places, never a 500.
      List<TestMesh.Reply> retries = Await.value("retries under the key to place the order once the outage is over",
        Await.DEFAULT, () -> concurrently(8, () -> mesh.post("/api/orders", body, key)),
        replies -> replies.stream().anyMatch(r -> r.status() != 503));
      assertThat(retries).allSatisfy(r -> assertThat(r.status()).as(r.body()).isIn(201, 503));
      Set<String> placed = retries.stream().filter(r -> r.status() == 201).map(r -> r.json().getString("orderId"))
        .collect(Collectors.toSet());
      assertThat(placed).hasSize(1);
      TestMesh.Reply replayed = mesh.post("/api/orders", body, key);
      assertThat(replayed.status()).isEqualTo(201);
      assertThat(replayed.json().getString("orderId")).isEqualTo(placed.iterator().next());
      assertThat(Shop.stock(mesh, product)).isEqualTo(3);
    }
  }

  /** {@code n} calls at once, each on a thread of its own; their answers in order. */
  static <T> List<T> concurrently(int n, Supplier<T> call) {
    ExecutorService threads = Executors.newFixedThreadPool(n);
    try {
      List<CompletableFuture<T>> calls = IntStream.range(0, n).mapToObj(i -> CompletableFuture.supplyAsync(call, threads)).toList();
      return calls.stream().map(CompletableFuture::join).toList();
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void aDependencyThatCannotReachItsDatabaseMakesHealthDegraded() {
    int down = FreePort.forAChild();
    try (TestMesh mesh = TestMesh.start(data)) {
      mesh.stop("payment-service");
      Await.result(mesh.vertx().deployVerticle(new DatabaseOnlyService("payment-service", TestConfig.in(data)
        .with("DB_URL", "postgresql://shopmesh:shopmesh@127.0.0.1:" + down + "/down"))));
      TestMesh.Reply health = Await.value("/health to report payment-service not ready", Await.DEFAULT, () -> mesh.get("/health"),
        h -> h.status() == 503);
      assertThat(health.json().getString("status")).isEqualTo("DEGRADED");
      assertThat(health.json().getJsonObject("replicas").getInteger("payment-service")).isEqualTo(1);
      assertThat(health.json().getJsonObject("ready").getInteger("payment-service")).isZero();
    }
  }

  /** A payment-service replica registered at {@code port} from elsewhere, as a process whose lease outlives it. */
  private void registerPaymentReplicaAt(TestMesh mesh, int port) {
    Discovery elsewhere = new Discovery(mesh.vertx(), TestConfig.in(data));
    Await.result(elsewhere.register("payment-service", "127.0.0.1", port, JsonObject::new, JsonObject::new));
  }

  /**
   * A replica killed with its registration still within its lease refuses connections: /health
   * counted it ready (it had not answered that it was not) while every call to it failed, for up to
   * a lease after the kill.
   */
  @Test
  void aRegisteredReplicaThatRefusesConnectionsIsNotCountedReady() {
    int gone = FreePort.forAChild();
    try (TestMesh mesh = TestMesh.start(data)) {
      registerPaymentReplicaAt(mesh, gone);
      TestMesh.Reply health = Await.value("/health to count the killed replica registered, not ready", Await.DEFAULT,
        () -> mesh.get("/health"), h -> h.json().getJsonObject("replicas").getInteger("payment-service") == 2
          && h.json().getJsonObject("ready").getInteger("payment-service") == 1);
      assertThat(health.status()).isEqualTo(200);
    }
  }

  /**
   * A replica that refused connections and is back at its address (restarted in place) is counted
   * ready again once a health check finds it ready: refusing once is not for good.
   */
  @Test
  void aReplicaBackAtTheAddressThatRefusedConnectionsIsCountedReadyAgain() {
    int gone = FreePort.forAChild();
    try (TestMesh mesh = TestMesh.start(data)) {
      registerPaymentReplicaAt(mesh, gone);
      Await.value("/health to count the replica refusing connections not ready", Await.DEFAULT, () -> mesh.get("/health"),
        h -> h.json().getJsonObject("ready").getInteger("payment-service") == 1);
      Await.result(MeshServer.start(mesh.vertx(), RpcSettings.from(Config.of(Map.of())), "127.0.0.1", gone, 1, 0, false, List.of(),
        Logger.getLogger("test"), GrpcCallCounts.create()));
      TestMesh.Reply health = Await.value("/health to count the replica ready once it answers at its address", Await.DEFAULT,
        () -> mesh.get("/health"), h -> h.json().getJsonObject("ready").getInteger("payment-service") == 2);
      assertThat(health.json().getJsonObject("replicas").getInteger("payment-service")).isEqualTo(2);
    }
  }

  @Test
  void ordersAndStockSurviveARestartOfTheStack() {
    String orderId;
    String product;
    int mugs;
    try (TestMesh mesh = TestMesh.start(data)) {
      product = Shop.newProduct(mesh, 700, 4);
      TestMesh.Reply placed = mesh.post("/api/orders", Shop.order(product, 1, Shop.APPROVED_CARD));
      assertThat(placed.status()).isEqualTo(201);
      orderId = placed.json().getString("orderId");
      // A seeded product too: the catalog is seeded when empty, not on every start.
      assertThat(mesh.post("/api/orders", Shop.order("mug", 1, Shop.APPROVED_CARD)).status()).isEqualTo(201);
      mugs = Shop.stock(mesh, "mug");
    }
    try (TestMesh mesh = TestMesh.start(data)) {
      TestMesh.Reply read = mesh.get("/api/orders/" + orderId);
      assertThat(read.status()).isEqualTo(200);
      assertThat(read.json().getString("status")).isEqualTo("CONFIRMED");
      assertThat(Shop.stock(mesh, product)).isEqualTo(3);
      assertThat(Shop.stock(mesh, "mug")).isEqualTo(mugs);
    }
  }
}
