package dev.shopmesh.gateway;

import dev.shopmesh.platform.rpc.Rpc;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.proto.catalog.v1.CatalogServiceGrpcClient;
import dev.shopmesh.proto.catalog.v1.ImportProductsRequest;
import dev.shopmesh.proto.catalog.v1.Product;
import dev.shopmesh.proto.order.v1.ListOrdersRequest;
import dev.shopmesh.proto.order.v1.ListOrdersResponse;
import dev.shopmesh.proto.order.v1.Order;
import dev.shopmesh.proto.order.v1.OrderServiceGrpcClient;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.server.StatusException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.UUID;

/** Test data and the few steps every shop test takes. */
final class Shop {

  static final String APPROVED_CARD = "4242424242424242";
  static final String DECLINED_CARD = "4000000000000002";

  private Shop() {
  }

  /**
   * A fresh product with a known stock, imported through catalog-service's client-streaming
   * ImportProducts, so tests own their stock figures even on a database other runs have used.
   */
  static String newProduct(TestMesh mesh, long priceCents, int stock) {
    return newProduct(mesh, priceCents, stock, "USD");
  }

  static String newProduct(TestMesh mesh, long priceCents, int stock, String currency) {
    String id = "test-" + UUID.randomUUID().toString().substring(0, 8);
    Product product = Product.newBuilder().setId(id).setName("Test " + id).setDescription("made by a test")
      .setPriceCents(priceCents).setCurrency(currency).setStock(stock).build();
    int imported = Await.result(mesh.grpc().request(mesh.address("catalog-service"), CatalogServiceGrpcClient.ImportProducts)
      .compose(req -> req.end(ImportProductsRequest.newBuilder().setProduct(product).build())
        .compose(v -> req.response()).compose(resp -> resp.last()))).getImported();
    if (imported != 1) {
      throw new AssertionError("imported " + imported);
    }
    return id;
  }

  /**
   * Every message of the stream {@code open} opens, read from the moment the stream is handed over;
   * a gRPC response that ends with an error status fails, whatever it sent before. Opened on an
   * event loop, so that the reading starts there as the stream is handed over: opened from the
   * test's thread, a stream could be answered whole before the test set its handlers, and the read
   * never ended (a ListOrders hung 20 s in CI).
   */
  static <T> List<T> collect(TestMesh mesh, Supplier<Future<? extends ReadStream<T>>> open) {
    return Await.onEventLoop(mesh.vertx(), () -> open.get().compose(s -> {
      List<T> items = new ArrayList<>();
      Promise<Void> ended = Promise.promise();
      follow(s, items::add, ended);
      return ended.future().map(items);
    }));
  }

  /**
   * Hands each message of {@code stream} to {@code each}; completes {@code ended} when the stream
   * ends with OK, fails it with the status it ended with or the error that broke it.
   */
  static <T> void follow(ReadStream<T> stream, Handler<T> each, Promise<Void> ended) {
    stream.handler(each).exceptionHandler(ended::tryFail).endHandler(v -> {
      StatusException failed = stream instanceof GrpcClientResponse<?, ?> response ? Rpc.endStatus(response) : null;
      if (failed != null) {
        ended.tryFail(failed);
      } else {
        ended.tryComplete();
      }
    });
  }

  /** The (latest) order of {@code customer}, as order-service has it now; null if none. */
  static Order orderOf(TestMesh mesh, String customer) {
    OrderServiceGrpcClient orderService = OrderServiceGrpcClient.create(mesh.grpc(), mesh.address("order-service"));
    return collect(mesh, () -> orderService.listOrders(ListOrdersRequest.getDefaultInstance())).stream()
      .map(ListOrdersResponse::getOrder).filter(o -> o.getCustomerId().equals(customer))
      .reduce((first, later) -> later).orElse(null);
  }

  static int stock(TestMesh mesh, String productId) {
    TestMesh.Reply reply = mesh.get("/api/products/" + productId);
    if (reply.status() != 200) {
      throw new AssertionError(reply);
    }
    return reply.json().getInteger("stock");
  }

  static JsonObject order(String productId, int quantity, String card) {
    return new JsonObject()
      .put("customerId", "customer-1")
      .put("items", new JsonArray().add(new JsonObject().put("productId", productId).put("quantity", quantity)))
      .put("payment", new JsonObject().put("cardNumber", card).put("expiry", "12/39").put("cvv", "123"));
  }
}
