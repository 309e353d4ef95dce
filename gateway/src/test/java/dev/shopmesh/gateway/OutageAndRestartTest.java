package dev.shopmesh.gateway;

import dev.shopmesh.payment.PaymentVerticle;
import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.DatabaseOnlyService;
import dev.shopmesh.platform.testing.TestConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

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
      // Which dependency, and what became of the charge: the refund cannot run while payment-service is down.
      assertThat(reply.json().getString("message")).startsWith("no replica of payment-service is registered; "
        + "the refund of any charge and the stock's release are retried until they succeed");
      assertThat(Shop.stock(mesh, product)).isEqualTo(4);
      TestMesh.Reply health = Await.value("/health to report the outage", Await.DEFAULT, () -> mesh.get("/health"),
        h -> h.status() == 503);
      assertThat(health.json().getString("status")).isEqualTo("DEGRADED");
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
      assertThat(mesh.get("/api/products").json().getString("message")).isEqualTo("no replica of catalog-service is registered");
      // What ./shopmesh status shows: the service, with none.
      assertThat(mesh.get("/api/mesh").json().getJsonArray("services").stream().map(JsonObject.class::cast)
        .filter(s -> s.getString("name").equals("catalog-service")))
        .singleElement().satisfies(s -> assertThat(s.getJsonArray("replicas")).isEmpty());
    }
  }

  @Test
  void aRetryUnderTheKeyOfAnOrderRefusedForAnOutagePlacesItOnceTheOutageIsOver() {
    // A quick sweep, so that the refund the refused order owes is retried soon after payment-service is back.
    Config config = TestConfig.in(data).with("SAGA_STALE_MS", "300").with("SAGA_SWEEP_MS", "200");
    try (TestMesh mesh = TestMesh.start(config)) {
      String product = Shop.newProduct(mesh, 700, 4);
      String body = Shop.order(product, 1, Shop.APPROVED_CARD).encode();
      Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
      mesh.stop("payment-service");
      TestMesh.Reply refused = mesh.post("/api/orders", body, key);
      assertThat(refused.status()).isEqualTo(503);
      // While the outage lasts, the refused order owes its refund: a retry answers that refusal (its
      // message names the order) and starts nothing.
      TestMesh.Reply during = mesh.post("/api/orders", body, key);
      assertThat(during.status()).isEqualTo(503);
      assertThat(during.json().getString("message")).isEqualTo(refused.json().getString("message"));

      mesh.deploy(new PaymentVerticle(config));
      TestMesh.Reply placed = Await.value("a retry under the key to place the order once the outage is over",
        Await.DEFAULT, () -> mesh.post("/api/orders", body, key), r -> r.status() != 503);
      assertThat(placed.status()).isEqualTo(201);
      TestMesh.Reply replayed = mesh.post("/api/orders", body, key);
      assertThat(replayed.json().getString("orderId")).isEqualTo(placed.json().getString("orderId"));
      assertThat(Shop.stock(mesh, product)).isEqualTo(3);
    }
  }

  @Test
  void aDependencyThatCannotReachItsDatabaseMakesHealthDegraded() throws IOException {
    int down;
    try (ServerSocket closed = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      down = closed.getLocalPort();
    }
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
