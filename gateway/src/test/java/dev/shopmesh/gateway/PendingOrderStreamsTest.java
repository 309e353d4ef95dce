package dev.shopmesh.gateway;

import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.TestConfig;
import dev.shopmesh.proto.order.v1.ListOrdersRequest;
import dev.shopmesh.proto.order.v1.ListOrdersResponse;
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
import io.vertx.grpc.client.GrpcClientRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streaming order RPCs follow an order as it changes, not only once it is final:
 * payment-service takes 1.5 s to answer here, so each order is watched while still PENDING.
 */
class PendingOrderStreamsTest {

  @TempDir
  static Path data;
  static TestMesh mesh;
  static OrderServiceGrpcClient orders;

  @BeforeAll
  static void start() {
    mesh = TestMesh.start(TestConfig.in(data).with("FAULT_CHARGE_REPLY_DELAY_MS", "1500"));
    orders = OrderServiceGrpcClient.create(mesh.grpc(), mesh.grpcAddress());
  }

  @AfterAll
  static void stop() {
    mesh.close();
  }

  @Test
  void watchOrderStreamsPendingThenTheOutcomeAsItHappens() {
    Placing placing = placeSlowly(Shop.APPROVED_CARD);
    List<WatchOrderResponse> states = Shop.collect(orders.watchOrder(WatchOrderRequest.newBuilder().setId(placing.id()).build()));
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
    call.write(TrackOrdersRequest.newBuilder().setAddOrderId(placing.id()).build());
    Await.until("the outcome of the tracked order", Duration.ofSeconds(10), () -> seen.size() >= 2);
    call.end();
    Await.result(ended.future());
    assertThat(seen).extracting(Order::getStatus)
      .containsExactly(OrderStatus.ORDER_STATUS_PENDING, OrderStatus.ORDER_STATUS_REJECTED);
    assertThat(Await.result(placing.answer()).getOrder().getStatus()).isEqualTo(OrderStatus.ORDER_STATUS_REJECTED);
  }

  /** An order on its way, and its id, read from order-service while payment-service has not answered. */
  private record Placing(String id, Future<PlaceOrderResponse> answer) {
  }

  private static Placing placeSlowly(String card) {
    String customer = "pending-" + UUID.randomUUID();
    Future<PlaceOrderResponse> answer = orders.placeOrder(GrpcApiTest.order(Shop.newProduct(mesh, 100, 5), 1, card)
      .toBuilder().setCustomerId(customer).build());
    OrderServiceGrpcClient orderService = OrderServiceGrpcClient.create(mesh.grpc(), mesh.address("order-service"));
    Order pending = Await.value("the order, pending", Duration.ofSeconds(10),
      () -> Shop.collect(orderService.listOrders(ListOrdersRequest.getDefaultInstance())).stream()
        .map(ListOrdersResponse::getOrder).filter(o -> o.getCustomerId().equals(customer)).findFirst().orElse(null),
      o -> o != null);
    assertThat(pending.getStatus()).isEqualTo(OrderStatus.ORDER_STATUS_PENDING);
    return new Placing(pending.getId(), answer);
  }
}
