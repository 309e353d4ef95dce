package dev.shopmesh.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class MeshSmokeTest {

  @TempDir
  Path data;

  @Test
  void anOrderFlowsThroughTheMeshAndIsConfirmed() {
    try (TestMesh mesh = TestMesh.start(data)) {
      TestMesh.Reply products = mesh.get("/api/products");
      assertThat(products.status()).isEqualTo(200);
      JsonArray list = products.array();
      assertThat(list.size()).isGreaterThanOrEqualTo(12);
      String productId = list.getJsonObject(0).getString("id");
      TestMesh.Reply placed = mesh.post("/api/orders", new JsonObject()
        .put("customerId", "c1")
        .put("items", new JsonArray().add(new JsonObject().put("productId", productId).put("quantity", 2)))
        .put("payment", new JsonObject().put("cardNumber", "4242424242424242").put("expiry", "12/30").put("cvv", "123")));
      System.out.println(placed);
      assertThat(placed.status()).isEqualTo(201);
      assertThat(placed.json().getString("status")).isEqualTo("CONFIRMED");
    }
  }
}
