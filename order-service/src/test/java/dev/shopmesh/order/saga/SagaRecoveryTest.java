package dev.shopmesh.order.saga;

import dev.shopmesh.order.order.NewOrder;
import dev.shopmesh.order.order.Order;
import dev.shopmesh.order.order.OrderStatus;
import dev.shopmesh.order.order.Priced;
import dev.shopmesh.order.store.OrderStore;
import dev.shopmesh.order.tracking.OrderChanges;
import dev.shopmesh.platform.db.Database;
import dev.shopmesh.platform.error.Failure;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.TestConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** Sagas interrupted by a crash are undone (refund, release, reject), and none stays PENDING. */
@ExtendWith(VertxExtension.class)
class SagaRecoveryTest {

  @TempDir
  Path data;
  Vertx vertx;
  Database database;
  OrderStore store;
  // Calls, not sets: a compensation must run once. Other orders may share a PostgreSQL database
  // with this test, so assertions name this test's orders, never counts of the whole table.
  final List<String> refunded = new CopyOnWriteArrayList<>();
  final List<String> released = new CopyOnWriteArrayList<>();
  volatile boolean paymentDown;

  /** payment-service and catalog-service as the recovery sees them. */
  final Downstream downstream = new Downstream(null) {
    @Override
    public Future<Void> refund(String orderId) {
      if (paymentDown) {
        return Future.failedFuture(Failure.unavailable("payment-service is down"));
      }
      refunded.add(orderId);
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> release(String orderId) {
      released.add(orderId);
      return Future.succeededFuture();
    }
  };

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    database = Database.open(vertx, TestConfig.in(data), "order-service");
    store = new OrderStore(database, new OrderChanges(vertx));
    Await.result(store.migrate());
  }

  @AfterEach
  void stop() {
    Await.result(database.close());
  }

  /** A PENDING order whose saga stopped {@code agoMillis} ago. */
  String interrupted(long agoMillis) {
    String id = UUID.randomUUID().toString();
    NewOrder request = new NewOrder(id, "c", List.of(new NewOrder.Item("mug", 1)),
      new NewOrder.PaymentCard("4242424242424242", "12/30", "123"));
    Await.result(store.insertPending(id, request, System.currentTimeMillis() - agoMillis));
    return id;
  }

  OrderStatus status(String id) {
    return Await.result(store.find(id)).map(Order::status).orElseThrow();
  }

  SagaRecovery recovery(long staleMillis) {
    return new SagaRecovery(store, downstream, staleMillis, Logger.getAnonymousLogger());
  }

  @Test
  void anInterruptedSagaIsRefundedReleasedAndRejected() {
    String crashed = interrupted(60_000);
    String stillRunning = interrupted(1_000);
    Await.result(recovery(30_000).sweep());
    assertThat(status(crashed)).isEqualTo(OrderStatus.REJECTED);
    assertThat(refunded).containsOnlyOnce(crashed).doesNotContain(stillRunning);
    assertThat(released).containsOnlyOnce(crashed).doesNotContain(stillRunning);
    assertThat(status(stillRunning)).as("a saga that may still be running is left alone").isEqualTo(OrderStatus.PENDING);
  }

  @Test
  void aCompensationThatFailedIsRetriedUntilItSucceeds() {
    String crashed = interrupted(60_000);
    paymentDown = true;
    Await.result(recovery(30_000).sweep());
    assertThat(status(crashed)).isEqualTo(OrderStatus.PENDING);
    assertThat(released).as("the stock goes back while payment-service is down").contains(crashed);
    paymentDown = false;
    Await.result(recovery(0).sweep());
    assertThat(status(crashed)).isEqualTo(OrderStatus.REJECTED);
    Await.result(recovery(0).sweep());
    assertThat(refunded).as("compensated once").containsOnlyOnce(crashed);
  }

  /** More than a pass takes: one sweep settles them all, where the rest waited a sweep period per hundred. */
  @Test
  void oneSweepSettlesMoreThanABatch() {
    List<String> crashed = IntStream.range(0, SagaRecovery.BATCH * 2 + 50).mapToObj(i -> interrupted(60_000)).toList();
    Await.result(recovery(30_000).sweep());
    assertThat(crashed).allMatch(id -> status(id) == OrderStatus.REJECTED);
    assertThat(released).containsAll(crashed);
  }

  @Test
  void aSagaCannotConfirmAnOrderTheSweepClaimed() {
    String id = interrupted(60_000);
    paymentDown = true;
    Await.result(recovery(30_000).sweep());
    // The saga was only slow: its charge now answers approved, but the sweep owns the order.
    Order placed = Await.result(store.find(id)).orElseThrow();
    assertThat(Await.result(store.confirm(placed, new Priced(List.of(), 0, "USD"))).status()).isEqualTo(OrderStatus.PENDING);
    assertThat(Await.result(store.claimCompensation(id, false, Long.MAX_VALUE))).as("one claim only").isFalse();
  }
}
