package dev.shopmesh.order.saga;

import dev.shopmesh.order.order.NewOrder;
import dev.shopmesh.order.order.Order;
import dev.shopmesh.order.order.OrderStatus;
import dev.shopmesh.platform.db.Database;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reservation no catalog replica got (none registered, its circuit open) took no stock: the
 * order owes no release. Released anyway, each such order owed one that failed the same way,
 * logged and retried by the sweep, 4,349 lines in 35 s of an outage.
 */
@ExtendWith(VertxExtension.class)
class UnsentReservationTest {

  @TempDir
  Path data;

  @Test
  void anOrderWhoseReservationReachedNoReplicaOwesNoRelease(Vertx vertx) {
    try (SagaBench bench = SagaBench.open(vertx, Database.open(vertx, TestConfig.in(data), "order-service"), Downstream::new)) {
      Order order = Await.result(bench.saga().place(new NewOrder(UUID.randomUUID().toString(), "c",
        List.of(new NewOrder.Item("mug", 1)), new NewOrder.PaymentCard("4242424242424242", "12/30", "123"))));

      assertThat(order.status()).isEqualTo(OrderStatus.REJECTED);
      assertThat(order.reason()).isEqualTo("no replica of catalog-service is registered; nothing was charged, no stock was taken");
      assertThat(Await.result(bench.store().owedCompensations(Long.MAX_VALUE, 10))).doesNotContainKey(order.id());
    }
  }
}
