package dev.shopmesh.gateway;

import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.DatabaseOnlyService;
import dev.shopmesh.platform.testing.TestConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

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
      assertThat(reply.json().getString("message")).contains("payment-service");
      assertThat(Shop.stock(mesh, product)).isEqualTo(4);
      TestMesh.Reply health = Await.value("/health to report the outage", Await.DEFAULT, () -> mesh.get("/health"),
        h -> h.status() == 503);
      assertThat(health.json().getString("status")).isEqualTo("DEGRADED");
      assertThat(health.json().getJsonObject("replicas").getInteger("payment-service")).isZero();
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
