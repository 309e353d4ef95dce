package dev.shopmesh.gateway;

import dev.shopmesh.platform.rpc.Rpc;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.LogCapture;
import dev.shopmesh.platform.testing.TestConfig;
import dev.shopmesh.proto.order.v1.Order;
import dev.shopmesh.proto.order.v1.OrderServiceGrpcClient;
import dev.shopmesh.proto.order.v1.OrderStatus;
import dev.shopmesh.proto.order.v1.PlaceOrderResponse;
import dev.shopmesh.proto.order.v1.TrackOrdersRequest;
import dev.shopmesh.proto.order.v1.TrackOrdersResponse;
import dev.shopmesh.proto.order.v1.WatchOrderRequest;
import dev.shopmesh.proto.order.v1.WatchOrderResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An order while it is PENDING: payment-service takes 1.5 s to answer here. The streaming order
 * RPCs follow it as it changes, not only once it is final; its key, sent again meanwhile, says so.
 */
class PendingOrderStreamsTest {

  @TempDir
  static Path data;
  static TestMesh mesh;
  static OrderServiceGrpcClient orders;

  @BeforeAll
  static void start() {
    mesh = TestMesh.start(TestConfig.in(data).with("FAULT_CHARGE_REPLY_DELAY_MS", "1500").with("REPLAY_WAIT_MS", "300"));
    orders = OrderServiceGrpcClient.create(mesh.grpc(), mesh.grpcAddress());
  }

  @AfterAll
  static void stop() {
    mesh.close();
  }

  @Test
  void watchOrderStreamsPendingThenTheOutcomeAsItHappens() {
    Placing placing = placeSlowly(Shop.APPROVED_CARD);
    List<WatchOrderResponse> states = Shop.collect(mesh, () -> orders.watchOrder(WatchOrderRequest.newBuilder().setId(placing.id()).build()));
    assertThat(states).extracting(r -> r.getOrder().getStatus())
      .containsExactly(OrderStatus.ORDER_STATUS_PENDING, OrderStatus.ORDER_STATUS_CONFIRMED);
    assertThat(Await.result(placing.answer()).getOrder().getId()).isEqualTo(placing.id());
  }

  @Test
  void trackOrdersReportsAPendingOrderAndThenItsOutcome() {
    Placing placing = placeSlowly(Shop.DECLINED_CARD);
    List<Order> seen = new CopyOnWriteArrayList<>();
    Promise<Void> ended = Promise.promise();
    GrpcClientRequest<TrackOrdersRequest, TrackOrdersResponse> call =
      Await.result(mesh.grpc().request(mesh.grpcAddress(), OrderServiceGrpcClient.TrackOrders));
    call.response().onSuccess(resp -> resp.handler(r -> seen.add(r.getOrder()))
      .endHandler(ended::complete).exceptionHandler(ended::fail));
    TrackOrdersRequest add = TrackOrdersRequest.newBuilder().setAddOrderId(placing.id()).build();
    call.write(add);
    Await.until("the pending order", Duration.ofSeconds(10), () -> seen.size() == 1);
    // Added again while followed, and while the charge still takes its 1.5 s: answered at once too.
    call.write(add);
    Await.until("the outcome of the tracked order", Duration.ofSeconds(10), () -> seen.size() >= 3);
    call.end();
    Await.result(ended.future());
    assertThat(seen).extracting(Order::getStatus)
      .containsExactly(OrderStatus.ORDER_STATUS_PENDING, OrderStatus.ORDER_STATUS_PENDING, OrderStatus.ORDER_STATUS_REJECTED);
    assertThat(Await.result(placing.answer()).getOrder().getStatus()).isEqualTo(OrderStatus.ORDER_STATUS_REJECTED);
  }

  /**
   * Past its deadline a stream is answered DEADLINE_EXCEEDED, and its handler stops following: it
   * used to go on, and write the order's outcome to the ended stream, an ERROR with its stack.
   */
  @Test
  void aTrackOrdersStreamPastItsDeadlineEndsAndStopsFollowing() {
    try (LogCapture errors = new LogCapture("", Level.SEVERE)) {
      Placing placing = placeSlowly(Shop.APPROVED_CARD);
      GrpcClientRequest<TrackOrdersRequest, TrackOrdersResponse> call =
        Await.result(mesh.grpc().request(mesh.address("order-service"), OrderServiceGrpcClient.TrackOrders));
      Promise<StatusException> ended = Promise.promise();
      call.response().onSuccess(resp -> resp.handler(r -> { }).endHandler(v -> ended.complete(Rpc.endStatus(resp))));
      Outcome outcome = Outcome.of(placing.id());
      call.timeout(300, TimeUnit.MILLISECONDS).write(TrackOrdersRequest.newBuilder().setAddOrderId(placing.id()).build());
      assertThat(Await.result(ended.future()).status()).isEqualTo(GrpcStatus.DEADLINE_EXCEEDED);
      // The order's outcome, which a handler still following it would write to the ended stream.
      assertThat(outcome.await()).isEqualTo(OrderStatus.ORDER_STATUS_CONFIRMED);
      assertThat(errors.records()).extracting(LogRecord::getMessage).isEmpty();
    }
  }

  /**
   * A caller that cancels its TrackOrders at the gateway: the gateway cancels its call to
   * order-service, which stops following, so the order's outcome, settled later, is written to no
   * ended stream on either hop and logs nothing.
   */
  @Test
  void aTrackOrdersStreamItsCallerCancelsStopsFollowingOnBothHops() {
    try (LogCapture errors = new LogCapture("", Level.SEVERE)) {
      Placing placing = placeSlowly(Shop.APPROVED_CARD);
      List<Order> seen = new CopyOnWriteArrayList<>();
      GrpcClientRequest<TrackOrdersRequest, TrackOrdersResponse> call =
        Await.result(mesh.grpc().request(mesh.grpcAddress(), OrderServiceGrpcClient.TrackOrders));
      call.response().onSuccess(resp -> resp.handler(r -> seen.add(r.getOrder())));
      call.write(TrackOrdersRequest.newBuilder().setAddOrderId(placing.id()).build());
      Await.until("the pending order", Duration.ofSeconds(10), () -> seen.size() == 1);
      Outcome outcome = Outcome.of(placing.id());
      call.cancel();
      assertThat(outcome.await()).isEqualTo(OrderStatus.ORDER_STATUS_CONFIRMED);
      assertThat(errors.records()).extracting(LogRecord::getMessage).isEmpty();
      assertThat(seen).extracting(Order::getStatus).containsExactly(OrderStatus.ORDER_STATUS_PENDING);
    }
  }

  @Test
  void theSameKeySentAgainWhileTheOrderIsPendingIs409ThenTheOrderOnceItIsFinal() {
    String product = Shop.newProduct(mesh, 100, 5);
    Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
    String body = Shop.order(product, 1, Shop.APPROVED_CARD).put("customerId", "pending-" + UUID.randomUUID()).encode();
    CompletableFuture<TestMesh.Reply> first = CompletableFuture.supplyAsync(() -> mesh.post("/api/orders", body, key));
    String id = pendingOrderOf(new JsonObject(body).getString("customerId")).getId();
    TestMesh.Reply meanwhile = mesh.post("/api/orders", body, key);
    assertThat(meanwhile.status()).isEqualTo(409);
    assertThat(meanwhile.json().getString("error")).isEqualTo("ABORTED");
    assertThat(meanwhile.json().getString("message")).contains("still being placed", id);
    assertThat(meanwhile.header("Retry-After")).as("when to send it again").isEqualTo("1");
    assertThat(first.join().status()).isEqualTo(201);
    TestMesh.Reply after = mesh.post("/api/orders", body, key);
    assertThat(after.status()).isEqualTo(201);
    assertThat(after.json().getString("orderId")).isEqualTo(id);
  }

  /**
   * An order's outcome as a WatchOrder stream on order-service sees it, following the order from
   * before it settles: the same change every follower of it is handed, so a stream that still
   * followed the order has been handed it by the time this ends.
   */
  private record Outcome(List<WatchOrderResponse> states, Future<Void> ended) {

    static Outcome of(String id) {
      List<WatchOrderResponse> states = new CopyOnWriteArrayList<>();
      Promise<Void> ended = Promise.promise();
      OrderServiceGrpcClient.create(mesh.grpc(), mesh.address("order-service"))
        .watchOrder(WatchOrderRequest.newBuilder().setId(id).build())
        .onSuccess(stream -> Shop.follow(stream, states::add, ended)).onFailure(ended::tryFail);
      Await.until("the order followed, pending", Duration.ofSeconds(10), () -> !states.isEmpty());
      return new Outcome(states, ended.future());
    }

    OrderStatus await() {
      Await.result(ended);
      return states.get(states.size() - 1).getOrder().getStatus();
    }
  }

  /** An order on its way, and its id. */
  private record Placing(String id, Future<PlaceOrderResponse> answer) {
  }

  private static Placing placeSlowly(String card) {
    String customer = "pending-" + UUID.randomUUID();
    Future<PlaceOrderResponse> answer = orders.placeOrder(GrpcApiTest.order(Shop.newProduct(mesh, 100, 5), 1, card)
      .toBuilder().setCustomerId(customer).build());
    return new Placing(pendingOrderOf(customer).getId(), answer);
  }

  /** The order of {@code customer}, read from order-service while payment-service has not answered. */
  private static Order pendingOrderOf(String customer) {
    Order pending = Await.value("the order, pending", Duration.ofSeconds(10), () -> Shop.orderOf(mesh, customer), o -> o != null);
    assertThat(pending.getStatus()).isEqualTo(OrderStatus.ORDER_STATUS_PENDING);
    return pending;
  }
}
