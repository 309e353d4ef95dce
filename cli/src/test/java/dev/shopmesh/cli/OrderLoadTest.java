package dev.shopmesh.cli;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link OrderLoad} against a fake gateway: a Vert.x HTTP server on a free loopback port. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OrderLoadTest {

  private static final JsonArray TWO_PRODUCTS = new JsonArray()
    .add(new JsonObject().put("id", "p-1").put("name", "Mug").put("priceCents", 1200).put("currency", "EUR").put("stock", 100))
    .add(new JsonObject().put("id", "p-2").put("name", "Tee").put("priceCents", 2500).put("currency", "EUR").put("stock", 100));

  /** Every order request the fake gateway received. */
  private record Received(String idempotencyKey, String contentType, String body) {
  }

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private HttpServer server;

  @AfterEach
  void stopServer() throws Exception {
    if (server != null) {
      await(server.close());
    }
  }

  /** Answers GET /api/products with {@code products}, and records each POST /api/orders before {@code onOrder} answers it. */
  private URI fakeGateway(Vertx vertx, JsonArray products, BiConsumer<HttpServerRequest, JsonObject> onOrder) throws Exception {
    server = vertx.createHttpServer().requestHandler(request -> {
      if (request.method() == HttpMethod.GET && request.path().equals("/api/products")) {
        request.response().putHeader("Content-Type", "application/json").end(products.encode());
      } else if (request.method() == HttpMethod.POST && request.path().equals("/api/orders")) {
        request.body().onSuccess(body -> {
          received.add(new Received(request.getHeader("Idempotency-Key"), request.getHeader("Content-Type"), body.toString()));
          onOrder.accept(request, body.toJsonObject());
        });
      } else {
        request.response().setStatusCode(404).end();
      }
    });
    await(server.listen(0, "127.0.0.1"));
    return URI.create("http://127.0.0.1:" + server.actualPort());
  }

  private record FakeAnswer(int status, JsonObject body) {
    void send(HttpServerRequest request) {
      request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }
  }

  private static int orderNumber(JsonObject order) {
    return Integer.parseInt(order.getString("customerId").substring("cli-".length()));
  }

  /** Every tenth order is declined, order 13 finds no stock, orders 3 and 7 go wrong. */
  private static FakeAnswer patterned(JsonObject order) {
    int n = orderNumber(order);
    if (n == 7) {
      return new FakeAnswer(500, new JsonObject().put("error", "boom"));
    }
    if (n == 3) {
      return new FakeAnswer(201, new JsonObject().put("orderId", "o-" + n).put("status", "PENDING"));
    }
    if (n == 13) {
      return new FakeAnswer(409, new JsonObject().put("error", "OUT_OF_STOCK"));
    }
    if (n % 10 == 0) {
      return new FakeAnswer(402, new JsonObject().put("error", "PAYMENT_DECLINED"));
    }
    return new FakeAnswer(201, new JsonObject().put("orderId", "o-" + n).put("status", "CONFIRMED"));
  }

  @Test
  void talliesConfirmedRejectedAndFailedOrders(Vertx vertx) throws Exception {
    URI gateway = fakeGateway(vertx, TWO_PRODUCTS, (request, order) -> patterned(order).send(request));
    OrderLoad load = new OrderLoad(new OrderLoad.Settings(gateway, 40, 4, 2, "4000000000000002"));
    AtomicInteger progress = new AtomicInteger();

    List<String> productIds = load.productIds();
    OrderLoad.Result result = load.place(productIds, outcome -> progress.incrementAndGet());

    assertThat(productIds).containsExactly("p-1", "p-2");
    assertThat(result.count()).isEqualTo(40);
    assertThat(result.confirmed()).isEqualTo(33);
    assertThat(result.rejected()).isEqualTo(5);
    assertThat(result.failed()).isEqualTo(2);
    assertThat(result.failures()).containsExactly(
      Map.entry("HTTP 201 without status CONFIRMED", 1), Map.entry("HTTP 500", 1));
    assertThat(progress).hasValue(40);
    assertThat(result.latency().maxMillis()).isPositive();
    assertThat(result.latency().p50Millis()).isLessThanOrEqualTo(result.latency().p99Millis());
    assertThat(result.ordersPerSecond()).isPositive();
  }

  @Test
  void everyOrderCarriesItsOwnIdempotencyKeyAndAWellFormedBody(Vertx vertx) throws Exception {
    URI gateway = fakeGateway(vertx, TWO_PRODUCTS, (request, order) -> patterned(order).send(request));
    OrderLoad load = new OrderLoad(new OrderLoad.Settings(gateway, 40, 4, 2, "4000000000000002"));

    load.place(load.productIds(), outcome -> { });

    assertThat(received).hasSize(40);
    List<String> keys = received.stream().map(Received::idempotencyKey).toList();
    assertThat(keys).doesNotContainNull().doesNotHaveDuplicates();
    keys.forEach(key -> assertThat(UUID.fromString(key).toString()).isEqualTo(key));
    assertThat(received).allSatisfy(r -> assertThat(r.contentType()).isEqualTo("application/json"));

    List<JsonObject> orders = new ArrayList<>();
    received.forEach(r -> orders.add(new JsonObject(r.body())));
    assertThat(orders).allSatisfy(order -> {
      assertThat(order.fieldNames()).containsExactlyInAnyOrder("customerId", "items", "payment");
      JsonArray items = order.getJsonArray("items");
      assertThat(items).hasSize(1);
      assertThat(items.getJsonObject(0).fieldNames()).containsExactlyInAnyOrder("productId", "quantity");
      assertThat(items.getJsonObject(0).getInteger("quantity")).isEqualTo(2);
      assertThat(order.getJsonObject("payment").getMap()).isEqualTo(
        Map.of("cardNumber", "4000000000000002", "expiry", "12/30", "cvv", "123"));
    });
    assertThat(orders.stream().map(OrderLoadTest::orderNumber).sorted().toList())
      .isEqualTo(IntStream.rangeClosed(1, 40).boxed().toList());
    // Round-robin over the two products: odd order numbers get the first, even ones the second.
    Map<String, List<Integer>> byProduct = orders.stream().collect(Collectors.groupingBy(
      order -> order.getJsonArray("items").getJsonObject(0).getString("productId"),
      Collectors.mapping(OrderLoadTest::orderNumber, Collectors.toList())));
    assertThat(byProduct.keySet()).containsExactlyInAnyOrder("p-1", "p-2");
    assertThat(byProduct.get("p-1")).hasSize(20).allMatch(n -> n % 2 == 1);
    assertThat(byProduct.get("p-2")).hasSize(20).allMatch(n -> n % 2 == 0);
  }

  @Test
  void keepsTheWholeWindowInFlight(Vertx vertx) throws Exception {
    // Answers are held until four orders wait at once: only a client with four in flight can finish.
    // The list is only touched on the server's event loop.
    List<HttpServerRequest> held = new ArrayList<>();
    URI gateway = fakeGateway(vertx, TWO_PRODUCTS, (request, order) -> {
      held.add(request);
      if (held.size() == 4) {
        held.forEach(waiting -> new FakeAnswer(201, new JsonObject().put("status", "CONFIRMED")).send(waiting));
        held.clear();
      }
    });
    OrderLoad load = new OrderLoad(new OrderLoad.Settings(gateway, 12, 4, 1, "4242424242424242"));

    OrderLoad.Result result = load.place(load.productIds(), outcome -> { });

    assertThat(received).hasSize(12);
    assertThat(result.confirmed()).isEqualTo(12);
  }

  @Test
  void aGatewayThatIsNotRunningIsReportedInOneLine() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    OrderLoad load = new OrderLoad(new OrderLoad.Settings(URI.create("http://127.0.0.1:" + closedPort), 1, 1, 1, "4242424242424242"));

    assertThatThrownBy(load::productIds)
      .isInstanceOf(OrderLoad.GatewayException.class)
      .hasMessageStartingWith("cannot reach the gateway at http://127.0.0.1:" + closedPort + ": ")
      .hasMessageContaining("./shopmesh up")
      .hasMessageNotContaining("\n");
  }

  @Test
  void aGatewayWithoutProductsCannotBeOrderedFrom(Vertx vertx) throws Exception {
    URI gateway = fakeGateway(vertx, new JsonArray(), (request, order) -> patterned(order).send(request));

    assertThatThrownBy(new OrderLoad(new OrderLoad.Settings(gateway, 1, 1, 1, "4242424242424242"))::productIds)
      .isInstanceOf(OrderLoad.GatewayException.class)
      .hasMessageContaining("no products");
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
