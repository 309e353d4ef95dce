package dev.shopmesh.order.saga;

import dev.shopmesh.order.order.NewOrder;
import dev.shopmesh.order.order.Order;
import dev.shopmesh.order.order.OrderStatus;
import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.db.Database;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.proto.catalog.v1.ReserveStockResponse;
import dev.shopmesh.proto.catalog.v1.ReservedLine;
import dev.shopmesh.proto.payment.v1.Charge;
import dev.shopmesh.proto.payment.v1.ChargeResponse;
import dev.shopmesh.proto.payment.v1.ChargeStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database unavailable for a moment just as an order's charge is approved: the order is
 * confirmed once it answers again. Its outcome not written, the order stayed PENDING, its key
 * answering "still being placed", until the sweep refunded it as an interrupted saga 30 s later
 * (56 orders of a run against a PostgreSQL short of connections).
 */
@ExtendWith(VertxExtension.class)
class OutcomeWriteTest {

  @TempDir
  Path data;

  @Test
  void anOrderWhoseDatabaseWasUnwritableForAMomentAfterItsChargeIsConfirmed(Vertx vertx) {
    // The embedded store whatever the suite runs on: SQLite's query_only stands in for the outage.
    Database database = Database.open(vertx, Config.of(Map.of("SHOPMESH_DATA_DIR", data.toString())), "order-service");
    try (SagaBench bench = SagaBench.open(vertx, database, client -> new Downstream(client) {
      @Override
      public Future<ReserveStockResponse> reserve(String orderId, NewOrder order) {
        return Future.succeededFuture(ReserveStockResponse.newBuilder().addLines(ReservedLine.newBuilder()
          .setProductId("mug").setName("Mug").setQuantity(1).setUnitPriceCents(899).setCurrency("USD")).build());
      }

      /** Approved, as the database stops taking writes for 400 ms. */
      @Override
      public Future<ChargeResponse> charge(String orderId, long amountCents, String currency, NewOrder.PaymentCard card) {
        return database.pool().query("PRAGMA query_only = ON").execute()
          .onSuccess(off -> vertx.setTimer(400, id -> database.pool().query("PRAGMA query_only = OFF").execute()))
          .map(off -> ChargeResponse.newBuilder().setCharge(Charge.newBuilder().setStatus(ChargeStatus.CHARGE_STATUS_APPROVED)).build());
      }
    })) {
      Order order = Await.result(bench.saga().place(new NewOrder(UUID.randomUUID().toString(), "c",
        List.of(new NewOrder.Item("mug", 1)), new NewOrder.PaymentCard("4242424242424242", "12/30", "123"))));

      assertThat(order.status()).isEqualTo(OrderStatus.CONFIRMED);
      assertThat(Await.result(bench.store().find(order.id())).orElseThrow().status()).isEqualTo(OrderStatus.CONFIRMED);
    }
  }
}
