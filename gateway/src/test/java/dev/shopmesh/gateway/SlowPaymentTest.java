package dev.shopmesh.gateway;

import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.LogCapture;
import dev.shopmesh.platform.testing.TestConfig;
import dev.shopmesh.proto.order.v1.Order;
import dev.shopmesh.proto.order.v1.OrderServiceGrpcClient;
import dev.shopmesh.proto.order.v1.PlaceOrderRequest;
import dev.shopmesh.proto.order.v1.Rejection;
import dev.shopmesh.proto.order.v1.OrderStatus;
import dev.shopmesh.proto.payment.v1.ChargeStatus;
import dev.shopmesh.proto.payment.v1.GetChargeRequest;
import dev.shopmesh.proto.payment.v1.PaymentServiceGrpcClient;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * payment-service commits each charge but answers after the caller's deadline. The order must end
 * with a 504 (never hang) that says so, its charge refunded and its stock released: no charge survives without
 * a CONFIRMED order, even though the deadline expired after the charge went through.
 */
class SlowPaymentTest {

  @TempDir
  Path data;

  @Test
  void aChargeAnsweredAfterTheDeadlineIsRefundedAndItsStockReleased() {
    try (TestMesh mesh = TestMesh.start(TestConfig.in(data)
      .with("RPC_DEADLINE_MS", "700")
      .with("FAULT_CHARGE_REPLY_DELAY_MS", "1500"));
         // Vert.x reports a handler writing to a stream its deadline already closed here, with a stack.
         LogCapture vertxContexts = new LogCapture("io.vertx.core.impl.ContextImpl", Level.ALL)) {
      String product = Shop.newProduct(mesh, 300, 5);
      Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
      String customer = "slow-" + UUID.randomUUID();
      String body = Shop.order(product, 2, Shop.APPROVED_CARD).put("customerId", customer).encode();

      long start = System.nanoTime();
      TestMesh.Reply first = mesh.post("/api/orders", body, key);
      assertThat(first.status()).isEqualTo(504);
      assertThat((System.nanoTime() - start) / 1_000_000).as("ms until the client heard").isLessThan(3_000);
      // The saga's answer, not the gateway giving up at the moment the charge did.
      assertThat(first.json().getString("message"))
        .startsWith("payment-service did not answer within the deadline; any charge refunded, stock released (order ");

      Await.until("the stock is released", Duration.ofSeconds(10), () -> Shop.stock(mesh, product) == 5);
      Order settled = Await.value("the order is settled", Duration.ofSeconds(10), () -> Shop.orderOf(mesh, customer),
        o -> o != null && o.getStatus() != OrderStatus.ORDER_STATUS_PENDING);
      assertThat(settled.getStatus()).isEqualTo(OrderStatus.ORDER_STATUS_REJECTED);

      PaymentServiceGrpcClient payments = PaymentServiceGrpcClient.create(mesh.grpc(), mesh.address("payment-service"));
      assertThat(Await.result(payments.getCharge(GetChargeRequest.newBuilder().setIdempotencyKey("order-" + settled.getId()).build()))
        .getCharge().getStatus()).isEqualTo(ChargeStatus.CHARGE_STATUS_REFUNDED);
      assertThat(vertxContexts.records()).as("errors logged for answers written after the deadline").isEmpty();
    }
  }

  /** A caller's own short deadline is said to be the caller's, not the service it ran out in. */
  @Test
  void anOrderThatOutlastsItsCallersDeadlineSaysWhoseDeadlineItWas() {
    try (TestMesh mesh = TestMesh.start(TestConfig.in(data).with("FAULT_CHARGE_REPLY_DELAY_MS", "1500"))) {
      String customer = "hurried-" + UUID.randomUUID();
      PlaceOrderRequest order = GrpcApiTest.order(Shop.newProduct(mesh, 300, 5), 1, Shop.APPROVED_CARD).toBuilder()
        .setCustomerId(customer).build();
      Throwable answer = Await.failure(mesh.grpc().request(mesh.grpcAddress(), OrderServiceGrpcClient.PlaceOrder)
        .compose(call -> call.timeout(400, TimeUnit.MILLISECONDS).send(order))
        .compose(resp -> resp.last().recover(e -> Future.failedFuture(new StatusException(resp.status(), resp.statusMessage())))));
      assertThat(((StatusException) answer).status()).isEqualTo(GrpcStatus.DEADLINE_EXCEEDED);

      Order settled = Await.value("the order is settled", Duration.ofSeconds(10), () -> Shop.orderOf(mesh, customer),
        o -> o != null && o.getStatus() != OrderStatus.ORDER_STATUS_PENDING);
      assertThat(settled.getRejection()).isEqualTo(Rejection.REJECTION_TIMEOUT);
      assertThat(settled.getReason()).startsWith("payment-service did not answer within the deadline (the caller's deadline, ")
        .contains(" ms); any charge refunded");
    }
  }

  /**
   * A client that hangs up while its order is placed is counted in /metrics as {@code closed}, not
   * under a status it never got (metrics.md), and its order is still settled.
   */
  @Test
  void aClientThatHangsUpWhileItsOrderIsPlacedIsCountedAsClosed() throws IOException {
    // Its answer held back long enough for the test to see the order and hang up first.
    try (TestMesh mesh = TestMesh.start(TestConfig.in(data).with("FAULT_CHARGE_REPLY_DELAY_MS", "3000"))) {
      String closed = "shopmesh_http_server_requests_total{method=\"POST\",route=\"/api/orders\",code=\"closed\"} ";
      String customer = "gone-" + UUID.randomUUID();
      byte[] body = Shop.order(Shop.newProduct(mesh, 300, 5), 1, Shop.APPROVED_CARD).put("customerId", customer).encode()
        .getBytes(StandardCharsets.UTF_8);
      try (Socket socket = new Socket("127.0.0.1", mesh.httpPort())) {
        OutputStream out = socket.getOutputStream();
        out.write(("POST /api/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + body.length + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        Await.until("the order is being placed", Duration.ofSeconds(5), () -> Shop.orderOf(mesh, customer) != null);
      }
      Await.until("the hang-up is counted", Duration.ofSeconds(5),
        () -> mesh.get("/metrics").body().lines().anyMatch(line -> line.equals(closed + "1")));
      Await.value("the order is settled", Duration.ofSeconds(10), () -> Shop.orderOf(mesh, customer),
        o -> o.getStatus() != OrderStatus.ORDER_STATUS_PENDING);
      assertThat(mesh.get("/metrics").body()).as("no answer counted for it")
        .doesNotContain("shopmesh_http_server_requests_total{method=\"POST\",route=\"/api/orders\",code=\"201\"}");
    }
  }

  /**
   * A replica told to stop lets the calls it is answering finish (README: Ctrl-C first lets the
   * orders in flight finish): the charge it is making when payment-service stops is answered, and
   * its order confirmed.
   */
  @Test
  void aPaymentReplicaStoppedMidChargeFinishesTheChargeFirst() {
    try (TestMesh mesh = TestMesh.start(TestConfig.in(data).with("FAULT_CHARGE_REPLY_DELAY_MS", "3000"))) {
      String customer = "drained-" + UUID.randomUUID();
      String body = Shop.order(Shop.newProduct(mesh, 300, 5), 1, Shop.APPROVED_CARD).put("customerId", customer).encode();
      CompletableFuture<TestMesh.Reply> placing = CompletableFuture.supplyAsync(() -> mesh.post("/api/orders", body, Map.of()));
      Order pending = Await.value("the order", Duration.ofSeconds(5), () -> Shop.orderOf(mesh, customer), o -> o != null);
      PaymentServiceGrpcClient payments = PaymentServiceGrpcClient.create(mesh.grpc(), mesh.address("payment-service"));
      // Committed, its answer held back for 3 s: the stop comes while it is.
      Await.until("the charge is made", Duration.ofSeconds(5), () -> Await.result(payments.getCharge(GetChargeRequest.newBuilder()
        .setIdempotencyKey("order-" + pending.getId()).build()).transform(ar -> Future.succeededFuture(ar.succeeded()))));

      mesh.stop("payment-service");

      TestMesh.Reply placed = placing.join();
      assertThat(placed.status()).as("%s", placed.body()).isEqualTo(201);
      assertThat(placed.json().getString("status")).isEqualTo("CONFIRMED");
    }
  }
}
