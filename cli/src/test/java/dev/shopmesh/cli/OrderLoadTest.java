package dev.shopmesh.cli;

import dev.shopmesh.cli.FakeGateway.Answer;
import dev.shopmesh.cli.FakeGateway.Received;
import io.vertx.core.Vertx;
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
import java.time.Duration;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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

  private FakeGateway gateway;

  @AfterEach
  void stopServer() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
  }

  private URI fakeGateway(Vertx vertx, JsonArray products, BiConsumer<HttpServerRequest, JsonObject> onOrder) throws Exception {
    gateway = FakeGateway.start(vertx, products, onOrder);
    return gateway.uri;
  }

  private List<Received> received() {
    return gateway.received;
  }

  /**
   * Every tenth order is declined, order 13 finds no stock (answered without an order, as a key
   * conflict would be), order 3 is acknowledged but not final, order 7 goes wrong.
   */
  static Answer patterned(JsonObject order) {
    int n = FakeGateway.orderNumber(order);
    if (n == 7) {
      return new Answer(500, new JsonObject().put("error", "boom"));
    }
    if (n == 3) {
      return new Answer(201, new JsonObject().put("orderId", "o-" + n).put("status", "PENDING"));
    }
    if (n == 13) {
      return new Answer(409, new JsonObject().put("error", "OUT_OF_STOCK"));
    }
    if (n % 10 == 0) {
      return new Answer(402, new JsonObject().put("orderId", "o-" + n).put("status", "REJECTED").put("rejection", "PAYMENT_DECLINED"));
    }
    return Answer.confirmed(n);
  }

  private static Map<String, List<Received>> byKey(List<Received> received) {
    return received.stream().collect(Collectors.groupingBy(Received::idempotencyKey));
  }

  @Test
  void talliesConfirmedRejectedAndFailedOrders(Vertx vertx) throws Exception {
    URI gateway = fakeGateway(vertx, FakeGateway.TWO_PRODUCTS, (request, order) -> patterned(order).send(request));
    OrderLoad load = new OrderLoad(new OrderLoad.Settings(gateway, 40, 4, 2, "4000000000000002"));
    AtomicInteger progress = new AtomicInteger();
    List<String> acknowledged = new CopyOnWriteArrayList<>();

    List<String> productIds = load.productIds();
    OrderLoad.Result result = load.place(productIds, outcome -> progress.incrementAndGet(), acknowledged::add);

    assertThat(productIds).containsExactly("p-1", "p-2");
    assertThat(result.placed()).isEqualTo(40);
    assertThat(result.confirmed()).isEqualTo(33);
    assertThat(result.rejected()).isEqualTo(5);
    assertThat(result.unsettled()).isEqualTo(1);
    assertThat(result.failed()).isEqualTo(1);
    assertThat(result.failures()).containsExactly(Map.entry("HTTP 500", 1));
    // Confirmed, declined and the unsettled one came with an order id; the 409 without one did not.
    assertThat(result.acknowledged()).isEqualTo(38);
    assertThat(acknowledged).hasSize(38).doesNotHaveDuplicates().contains("o-3", "o-10").doesNotContain("o-7", "o-13");
    assertThat(result.retried()).isZero();
    assertThat(result.skipped()).isZero();
    assertThat(progress).hasValue(40);
    assertThat(result.latency().maxMillis()).isPositive();
    assertThat(result.latency().p50Millis()).isLessThanOrEqualTo(result.latency().p99Millis());
    assertThat(result.ordersPerSecond()).isPositive();
    assertThat(result.failedPercent()).isEqualTo(2.5);
  }

  @Test
  void everyOrderCarriesItsOwnIdempotencyKeyAndAWellFormedBody(Vertx vertx) throws Exception {
    URI gateway = fakeGateway(vertx, FakeGateway.TWO_PRODUCTS, (request, order) -> patterned(order).send(request));
    OrderLoad load = new OrderLoad(new OrderLoad.Settings(gateway, 40, 4, 2, "4000000000000002"));

    load.place(load.productIds(), outcome -> { });

    // 201, 402, 409 and 500 are all final: nothing was sent twice.
    assertThat(received()).hasSize(40);
    List<String> keys = received().stream().map(Received::idempotencyKey).toList();
    assertThat(keys).doesNotContainNull().doesNotHaveDuplicates();
    keys.forEach(key -> assertThat(UUID.fromString(key).toString()).isEqualTo(key));
    assertThat(received()).allSatisfy(r -> assertThat(r.contentType()).isEqualTo("application/json"));

    List<JsonObject> orders = new ArrayList<>();
    received().forEach(r -> orders.add(r.json()));
    assertThat(orders).allSatisfy(order -> {
      assertThat(order.fieldNames()).containsExactlyInAnyOrder("customerId", "items", "payment");
      JsonArray items = order.getJsonArray("items");
      assertThat(items).hasSize(1);
      assertThat(items.getJsonObject(0).fieldNames()).containsExactlyInAnyOrder("productId", "quantity");
      assertThat(items.getJsonObject(0).getInteger("quantity")).isEqualTo(2);
      assertThat(order.getJsonObject("payment").getMap()).isEqualTo(
        Map.of("cardNumber", "4000000000000002", "expiry", OrderLoad.TEST_CARD_EXPIRY, "cvv", "123"));
      assertThat(YearMonth.parse(order.getJsonObject("payment").getString("expiry"), DateTimeFormatter.ofPattern("MM/yy")))
        .isAfter(YearMonth.now());
    });
    assertThat(orders.stream().map(FakeGateway::orderNumber).sorted().toList())
      .isEqualTo(IntStream.rangeClosed(1, 40).boxed().toList());
    // Round-robin over the two products: odd order numbers get the first, even ones the second.
    Map<String, List<Integer>> byProduct = orders.stream().collect(Collectors.groupingBy(
      order -> order.getJsonArray("items").getJsonObject(0).getString("productId"),
      Collectors.mapping(FakeGateway::orderNumber, Collectors.toList())));
    assertThat(byProduct.keySet()).containsExactlyInAnyOrder("p-1", "p-2");
    assertThat(byProduct.get("p-1")).hasSize(20).allMatch(n -> n % 2 == 1);
    assertThat(byProduct.get("p-2")).hasSize(20).allMatch(n -> n % 2 == 0);
  }

  @Test
  void keepsTheWholeWindowInFlight(Vertx vertx) throws Exception {
    // Answers are held until four orders wait at once: only a client with four in flight can finish.
    // The list is only touched on the server's event loop.
    List<HttpServerRequest> held = new ArrayList<>();
    List<Integer> numbers = new ArrayList<>();
    URI gateway = fakeGateway(vertx, FakeGateway.TWO_PRODUCTS, (request, order) -> {
      held.add(request);
      numbers.add(FakeGateway.orderNumber(order));
      if (held.size() == 4) {
        for (int i = 0; i < 4; i++) {
          Answer.confirmed(numbers.get(i)).send(held.get(i));
        }
        held.clear();
        numbers.clear();
      }
    });
    OrderLoad load = new OrderLoad(new OrderLoad.Settings(gateway, 12, 4, 1, "4242424242424242"));

    OrderLoad.Result result = load.place(load.productIds(), outcome -> { });

    assertThat(received()).hasSize(12);
    assertThat(result.confirmed()).isEqualTo(12);
  }

  /** What Ctrl-C does: no order after it, whether the next is due in 20 s or waits for a permit. */
  @Test
  void stoppedItSendsNoMoreOrdersAndReturnsOnceTheOnesInFlightAreCounted(Vertx vertx) throws Exception {
    URI gateway = fakeGateway(vertx, FakeGateway.TWO_PRODUCTS, (request, order) -> Answer.confirmed(FakeGateway.orderNumber(order)).send(request));
    for (OrderLoad.Settings settings : List.of(
      new OrderLoad.Settings(gateway, 5, null, 0.05, 4, 3, 1, "4242424242424242"),
      new OrderLoad.Settings(gateway, 1_000_000, null, 0, 1, 3, 1, "4242424242424242"))) {
      OrderLoad load = new OrderLoad(settings);
      List<String> products = load.productIds();
      CompletableFuture<OrderLoad.Result> run = CompletableFuture.supplyAsync(() -> {
        try {
          return load.place(products, outcome -> load.stop());
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });

      OrderLoad.Result result = run.get(5, TimeUnit.SECONDS);
      assertThat(result.placed()).as(settings.openLoop() ? "open loop" : "closed loop").isEqualTo(1);
      assertThat(load.stopped()).isTrue();
    }
  }

  @Test
  void aGatewayThatIsNotRunningIsReportedInOneLine() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    OrderLoad load = new OrderLoad(new OrderLoad.Settings(URI.create("http://127.0.0.1:" + closedPort), 1, 1, 1, "4242424242424242"));

    assertThatThrownBy(load::productIds)
      .isInstanceOf(Gateway.GatewayException.class)
      .hasMessageStartingWith("cannot reach the gateway at http://127.0.0.1:" + closedPort + ": ")
      .hasMessageContaining("./shopmesh up")
      .hasMessageNotContaining("\n");
  }

  @Test
  void aGatewayWithoutProductsCannotBeOrderedFrom(Vertx vertx) throws Exception {
    URI gateway = fakeGateway(vertx, new JsonArray(), (request, order) -> patterned(order).send(request));

    assertThatThrownBy(new OrderLoad(new OrderLoad.Settings(gateway, 1, 1, 1, "4242424242424242"))::productIds)
      .isInstanceOf(Gateway.GatewayException.class)
      .hasMessageContaining("no products");
  }

  // ---- retries ----

  @Test
  void a503IsRetriedWithTheSameKeyAndBodyAndTheOrderIsAcknowledged(Vertx vertx) throws Exception {
    // The first attempt at each order is answered 503, the second confirms it. Server event loop only.
    Set<String> seen = new HashSet<>();
    URI gateway = fakeGateway(vertx, FakeGateway.TWO_PRODUCTS, (request, order) -> {
      String key = request.getHeader("Idempotency-Key");
      if (seen.add(key)) {
        new Answer(503, new JsonObject().put("error", "UNAVAILABLE")).send(request);
      } else {
        Answer.confirmed(FakeGateway.orderNumber(order)).send(request);
      }
    });
    OrderLoad load = new OrderLoad(new OrderLoad.Settings(gateway, 10, 4, 1, "4242424242424242"));
    List<String> acknowledged = new CopyOnWriteArrayList<>();

    OrderLoad.Result result = load.place(load.productIds(), outcome -> { }, acknowledged::add);

    assertThat(received()).hasSize(20);
    Map<String, List<Received>> byKey = byKey(received());
    assertThat(byKey).hasSize(10);
    assertThat(byKey.values()).allSatisfy(attempts -> {
      assertThat(attempts).hasSize(2);
      assertThat(attempts.get(1).body()).isEqualTo(attempts.get(0).body());
      // The back-off lies between the two attempts.
      assertThat(attempts.get(1).atNanos() - attempts.get(0).atNanos())
        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(OrderLoad.MIN_BACKOFF_MILLIS));
    });
    assertThat(result.placed()).isEqualTo(10);
    assertThat(result.acknowledged()).isEqualTo(10);
    assertThat(result.confirmed()).isEqualTo(10);
    assertThat(result.retried()).isEqualTo(10);
    assertThat(result.failed()).isZero();
    assertThat(acknowledged).containsExactlyInAnyOrderElementsOf(
      IntStream.rangeClosed(1, 10).mapToObj(n -> "o-" + n).toList());
    // The latency is the whole order's, the back-off included.
    assertThat(result.latency().p50Millis()).isGreaterThanOrEqualTo(OrderLoad.MIN_BACKOFF_MILLIS);
  }

  @Test
  void aLostConnectionIsRetriedWithTheSameKey(Vertx vertx) throws Exception {
    Set<String> seen = new HashSet<>();
    URI gateway = fakeGateway(vertx, FakeGateway.TWO_PRODUCTS, (request, order) -> {
      if (seen.add(request.getHeader("Idempotency-Key"))) {
        request.connection().close();
      } else {
        Answer.confirmed(FakeGateway.orderNumber(order)).send(request);
      }
    });
    OrderLoad load = new OrderLoad(new OrderLoad.Settings(gateway, 6, 2, 1, "4242424242424242"));

    OrderLoad.Result result = load.place(load.productIds(), outcome -> { });

    assertThat(byKey(received()).values()).hasSize(6).allSatisfy(attempts -> assertThat(attempts).hasSize(2));
    assertThat(result.acknowledged()).isEqualTo(6);
    assertThat(result.retried()).isEqualTo(6);
    assertThat(result.failed()).isZero();
  }

  @Test
  void retriesStopAfterTheAttemptsAndAFinalAnswerEndsThemEarlier(Vertx vertx) throws Exception {
    // Odd orders: always 504. Even orders: 502, then 409 with the rejected order (final).
    URI gateway = fakeGateway(vertx, FakeGateway.TWO_PRODUCTS, (request, order) -> {
      int n = FakeGateway.orderNumber(order);
      long attempts = received().stream().filter(r -> r.idempotencyKey().equals(request.getHeader("Idempotency-Key"))).count();
      if (n % 2 == 1) {
        new Answer(504, new JsonObject().put("error", "DEADLINE_EXCEEDED")).send(request);
      } else if (attempts == 1) {
        new Answer(502, new JsonObject()).send(request);
      } else {
        new Answer(409, new JsonObject().put("orderId", "o-" + n).put("status", "REJECTED")).send(request);
      }
    });
    OrderLoad load = new OrderLoad(new OrderLoad.Settings(gateway, 6, null, 0, 6, 3, 1, "4242424242424242"));

    OrderLoad.Result result = load.place(load.productIds(), outcome -> { });

    Map<Integer, Long> attemptsByOrder = received().stream()
      .collect(Collectors.groupingBy(Received::orderNumber, Collectors.counting()));
    assertThat(attemptsByOrder).isEqualTo(Map.of(1, 3L, 2, 2L, 3, 3L, 4, 2L, 5, 3L, 6, 2L));
    assertThat(byKey(received())).hasSize(6);
    assertThat(result.failed()).isEqualTo(3);
    assertThat(result.failures()).containsExactly(Map.entry("HTTP 504 after 3 attempts", 3));
    assertThat(result.rejected()).isEqualTo(3);
    assertThat(result.acknowledged()).isEqualTo(3);
    assertThat(result.retried()).isEqualTo(6);
  }

  @Test
  void anOrderStillBeingPlacedUnderItsKeyIsAskedForAgainAndUnsettledIfItStaysSo(Vertx vertx) throws Exception {
    // Order 1: 504, then 409 ABORTED (its first attempt is still running), then confirmed. Order 2: always ABORTED.
    URI gateway = fakeGateway(vertx, FakeGateway.TWO_PRODUCTS, (request, order) -> {
      int n = FakeGateway.orderNumber(order);
      long attempts = received().stream().filter(r -> r.idempotencyKey().equals(request.getHeader("Idempotency-Key"))).count();
      Answer aborted = new Answer(409, new JsonObject().put("error", "ABORTED")
        .put("message", "the order under this idempotency key is still being placed (order o-" + n + "); send the request again shortly"));
      if (n == 1 && attempts == 1) {
        new Answer(504, new JsonObject().put("error", "DEADLINE_EXCEEDED")).send(request);
      } else if (n == 1 && attempts == 3) {
        Answer.confirmed(n).send(request);
      } else {
        aborted.send(request);
      }
    });
    OrderLoad load = new OrderLoad(new OrderLoad.Settings(gateway, 2, null, 0, 2, 3, 1, "4242424242424242"));

    List<String> ids = new java.util.concurrent.CopyOnWriteArrayList<>();
    OrderLoad.Result result = load.place(load.productIds(), outcome -> { }, ids::add);

    assertThat(byKey(received()).values()).allSatisfy(attempts -> assertThat(attempts).hasSize(3));
    assertThat(result.confirmed()).isEqualTo(1);
    assertThat(result.unsettled()).isEqualTo(1);
    // The order still being placed exists: acknowledged, and its id kept for ./shopmesh audit.
    assertThat(result.acknowledged()).isEqualTo(2);
    assertThat(ids).containsExactlyInAnyOrder("o-1", "o-2");
    assertThat(result.rejected()).isZero();
    assertThat(result.failed()).isZero();
  }

  @Test
  void oneAttemptMeansNoRetry(Vertx vertx) throws Exception {
    URI gateway = fakeGateway(vertx, FakeGateway.TWO_PRODUCTS,
      (request, order) -> new Answer(503, new JsonObject()).send(request));
    OrderLoad load = new OrderLoad(new OrderLoad.Settings(gateway, 4, null, 0, 2, 1, 1, "4242424242424242"));

    OrderLoad.Result result = load.place(load.productIds(), outcome -> { });

    assertThat(received()).hasSize(4);
    assertThat(result.failures()).containsExactly(Map.entry("HTTP 503", 4));
    assertThat(result.retried()).isZero();
  }

  // ---- open loop, duration ----

  @Test
  void rateTimesDurationIsTheNumberOfOrders() {
    URI any = URI.create("http://127.0.0.1:1");
    assertThat(new OrderLoad.Settings(any, Integer.MAX_VALUE, Duration.ofMillis(250), 200, 64, 3, 1, "4").plannedOrders()).isEqualTo(50);
    assertThat(new OrderLoad.Settings(any, Integer.MAX_VALUE, Duration.ofSeconds(1), 3, 64, 3, 1, "4").plannedOrders()).isEqualTo(3);
    assertThat(new OrderLoad.Settings(any, Integer.MAX_VALUE, Duration.ofSeconds(1), 0.5, 64, 3, 1, "4").plannedOrders()).isEqualTo(1);
    assertThat(new OrderLoad.Settings(any, 10, Duration.ofSeconds(1), 100, 64, 3, 1, "4").plannedOrders()).isEqualTo(10);
    assertThat(new OrderLoad.Settings(any, 200, null, 100, 64, 3, 1, "4").plannedOrders()).isEqualTo(200);
    assertThat(new OrderLoad.Settings(any, Integer.MAX_VALUE, Duration.ofSeconds(1), 0, 8, 3, 1, "4").plannedOrders()).isEqualTo(-1);
  }

  @Test
  void anOpenLoopKeepsItsScheduleWhileOrdersPileUp(Vertx vertx) throws Exception {
    // Each answer takes 100 ms; at 200 orders/s, some 20 are in flight at once.
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger mostInFlight = new AtomicInteger();
    URI gateway = fakeGateway(vertx, FakeGateway.TWO_PRODUCTS, (request, order) -> {
      mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      vertx.setTimer(100, t -> {
        inFlight.decrementAndGet();
        Answer.confirmed(FakeGateway.orderNumber(order)).send(request);
      });
    });
    OrderLoad load = new OrderLoad(new OrderLoad.Settings(gateway, Integer.MAX_VALUE, Duration.ofMillis(250), 200, 64, 3, 1, "4242424242424242"));

    OrderLoad.Result result = load.place(load.productIds(), outcome -> { });

    assertThat(result.placed() + result.skipped()).isBetween(45, 55);
    assertThat(result.skipped()).isZero();
    assertThat(result.confirmed()).isEqualTo(result.placed());
    assertThat(mostInFlight.get()).isGreaterThanOrEqualTo(5);
    // Fifty starts 5 ms apart span 245 ms: not all at once, and not one after the other's answer
    // (which, at 100 ms each, would take seconds). The first arrivals may wait for their connections
    // (134 ms spanned on a loaded machine): at least 100 ms, where all at once spans a few.
    long spanMillis = TimeUnit.NANOSECONDS.toMillis(received().get(received().size() - 1).atNanos() - received().get(0).atNanos());
    assertThat(spanMillis).isBetween(100L, 1_500L);
    assertThat(result.elapsed()).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void anOpenLoopSkipsOrdersDueWhileTheClientIsSaturated(Vertx vertx) throws Exception {
    URI gateway = fakeGateway(vertx, FakeGateway.TWO_PRODUCTS, (request, order) ->
      vertx.setTimer(200, t -> Answer.confirmed(FakeGateway.orderNumber(order)).send(request)));
    OrderLoad load = new OrderLoad(new OrderLoad.Settings(gateway, Integer.MAX_VALUE, Duration.ofMillis(250), 200, 2, 3, 1, "4242424242424242"));
    Map<OrderLoad.Outcome, Integer> heard = new ConcurrentHashMap<>();

    OrderLoad.Result result = load.place(load.productIds(), outcome -> heard.merge(outcome, 1, Integer::sum));

    assertThat(result.placed() + result.skipped()).isEqualTo(50);
    assertThat(result.placed()).isBetween(2, 20);
    assertThat(result.skipped()).isGreaterThanOrEqualTo(30);
    assertThat(heard.get(OrderLoad.Outcome.SKIPPED)).isEqualTo(result.skipped());
    assertThat(received()).hasSize(result.placed());
    // The schedule was kept: a closed loop of two would have needed 25 × 200 ms.
    assertThat(result.elapsed()).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void aClosedLoopWithADurationStopsStartingOrdersWhenItEnds(Vertx vertx) throws Exception {
    URI gateway = fakeGateway(vertx, FakeGateway.TWO_PRODUCTS,
      (request, order) -> vertx.setTimer(20, t -> Answer.confirmed(FakeGateway.orderNumber(order)).send(request)));
    OrderLoad load = new OrderLoad(new OrderLoad.Settings(gateway, Integer.MAX_VALUE, Duration.ofMillis(300), 0, 2, 3, 1, "4242424242424242"));

    OrderLoad.Result result = load.place(load.productIds(), outcome -> { });

    // At most 2 in flight, 20 ms each: about 30 orders in 300 ms.
    assertThat(result.placed()).isBetween(2, 40);
    assertThat(result.confirmed()).isEqualTo(result.placed());
    assertThat(result.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(300)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void withACountAndADurationTheRunStopsAtWhicheverComesFirst(Vertx vertx) throws Exception {
    URI gateway = fakeGateway(vertx, FakeGateway.TWO_PRODUCTS, (request, order) -> patterned(order).send(request));

    OrderLoad.Result closed = new OrderLoad(new OrderLoad.Settings(gateway, 5, Duration.ofSeconds(30), 0, 2, 3, 1, "4242424242424242"))
      .place(List.of("p-1"), outcome -> { });
    OrderLoad.Result open = new OrderLoad(new OrderLoad.Settings(gateway, 5, Duration.ofSeconds(30), 100, 64, 3, 1, "4242424242424242"))
      .place(List.of("p-1"), outcome -> { });

    assertThat(closed.placed()).isEqualTo(5);
    assertThat(open.placed()).isEqualTo(5);
    assertThat(closed.elapsed()).isLessThan(Duration.ofSeconds(10));
    assertThat(open.elapsed()).isLessThan(Duration.ofSeconds(10));
    Map<Integer, Integer> perNumber = new HashMap<>();
    received().forEach(r -> perNumber.merge(r.orderNumber(), 1, Integer::sum));
    assertThat(perNumber).isEqualTo(Map.of(1, 2, 2, 2, 3, 2, 4, 2, 5, 2));
  }
}
