package dev.shopmesh.order.saga;

import dev.shopmesh.order.order.NewOrder;
import dev.shopmesh.order.order.Order;
import dev.shopmesh.order.order.OrderStatus;
import dev.shopmesh.platform.db.Database;
import dev.shopmesh.platform.error.Failure;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.TestConfig;
import dev.shopmesh.proto.catalog.v1.ReserveStockResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reservation no catalog replica got (none registered, its circuit open) took no stock: the
 * order owes no release. Released anyway, each such order owed one that failed the same way,
 * logged and retried by the sweep, 4,349 lines in 35 s of an outage. One that reached a replica and
 * got no answer may have taken its stock: that one is released, or owed.
 */
@ExtendWith(VertxExtension.class)
class UnsentReservationTest {

  @TempDir
  Path data;

  @Test
  void anOrderWhoseReservationReachedNoReplicaOwesNoRelease(Vertx vertx) {
    try (SagaBench bench = SagaBench.open(vertx, Database.open(vertx, TestConfig.in(data), "order-service"), Downstream::new)) {
      Order order = Await.result(bench.saga().place(mug()));

      assertThat(order.status()).isEqualTo(OrderStatus.REJECTED);
      assertThat(order.reason()).isEqualTo("no replica of catalog-service is registered; nothing was charged, no stock was taken");
      assertThat(Await.result(bench.store().owedCompensations(Long.MAX_VALUE, 10))).doesNotContainKey(order.id());
    }
  }

  @Test
  void anOrderWhoseReservationWentUnansweredReleasesIt(Vertx vertx) {
    List<String> released = new CopyOnWriteArrayList<>();
    try (SagaBench bench = SagaBench.open(vertx, Database.open(vertx, TestConfig.in(data), "order-service"),
      client -> unanswered(released, Future.succeededFuture()))) {
      Order order = Await.result(bench.saga().place(mug()));

      assertThat(order.status()).isEqualTo(OrderStatus.REJECTED);
      assertThat(order.reason()).startsWith("catalog-service did not answer").endsWith("; nothing was charged");
      assertThat(released).as("the reservations released").containsExactly(order.id());
      assertThat(Await.result(bench.store().owedCompensations(Long.MAX_VALUE, 10))).doesNotContainKey(order.id());
    }
  }

  /** Its release failing too, the order owes it: the sweep makes it later, where the stock stayed taken for good. */
  @Test
  void aReleaseThatFailsIsOwed(Vertx vertx) {
    List<String> released = new CopyOnWriteArrayList<>();
    try (SagaBench bench = SagaBench.open(vertx, Database.open(vertx, TestConfig.in(data), "order-service"),
      client -> unanswered(released, Future.failedFuture(Failure.unavailable("catalog-service is down"))))) {
      Order order = Await.result(bench.saga().place(mug()));

      assertThat(order.status()).isEqualTo(OrderStatus.REJECTED);
      assertThat(released).containsExactly(order.id());
      assertThat(Await.result(bench.store().owedCompensations(Long.MAX_VALUE, 10))).containsKey(order.id());
    }
  }

  private static NewOrder mug() {
    return new NewOrder(UUID.randomUUID().toString(), "c", List.of(new NewOrder.Item("mug", 1)),
      new NewOrder.PaymentCard("4242424242424242", "12/30", "123"));
  }

  /** A catalog whose reservations run out of their deadline, and whose releases answer {@code release}, noted in {@code released}. */
  private static Downstream unanswered(List<String> released, Future<Void> release) {
    return new Downstream(null) {
      @Override
      public Future<ReserveStockResponse> reserve(String orderId, NewOrder order) {
        return Future.failedFuture(new StatusException(GrpcStatus.DEADLINE_EXCEEDED, "catalog-service did not answer within the deadline"));
      }

      @Override
      public Future<Void> release(String orderId) {
        released.add(orderId);
        return release;
      }
    };
  }
}
