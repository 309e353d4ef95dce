package dev.shopmesh.order.saga;

import dev.shopmesh.order.order.NewOrder;
import dev.shopmesh.order.order.Order;
import dev.shopmesh.order.order.OrderStatus;
import dev.shopmesh.order.store.OrderStore;
import dev.shopmesh.order.tracking.OrderChanges;
import dev.shopmesh.platform.db.Database;
import dev.shopmesh.platform.error.Failure;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.TestConfig;
import dev.shopmesh.proto.payment.v1.Charge;
import dev.shopmesh.proto.payment.v1.ChargeStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** Sagas interrupted by a crash are settled from their charge, and none stays PENDING. */
class SagaRecoveryTest {

  @TempDir
  Path data;
  Vertx vertx;
  Pool pool;
  OrderStore store;
  final Map<String, Future<Optional<Charge>>> charges = new ConcurrentHashMap<>();
  final Set<String> released = ConcurrentHashMap.newKeySet();

  /** payment-service and catalog-service as the recovery sees them. */
  final Downstream downstream = new Downstream(null) {
    @Override
    public Future<Optional<Charge>> chargeOf(String orderId) {
      return charges.getOrDefault(orderId, Future.succeededFuture(Optional.empty()));
    }

    @Override
    public Future<Void> release(String orderId) {
      if (catalogDown) {
        return Future.failedFuture(Failure.unavailable("catalog-service is down"));
      }
      released.add(orderId);
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> refund(String orderId) {
      refunded.add(orderId);
      return Future.succeededFuture();
    }
  };
  final Set<String> refunded = ConcurrentHashMap.newKeySet();
  volatile boolean catalogDown;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    pool = Database.open(vertx, TestConfig.in(data), "order-service");
    store = new OrderStore(pool, new OrderChanges(vertx));
    Await.result(store.migrate());
  }

  @AfterEach
  void stop() {
    Await.result(pool.close());
    Await.result(vertx.close());
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

  @Test
  void aCompensationThatFailedIsRetriedUntilItSucceeds() {
    SagaRecovery recovery = new SagaRecovery(vertx, store, downstream, 0, Logger.getAnonymousLogger());
    String id = interrupted(0);
    Await.result(store.oweCompensation(id, true));
    catalogDown = true;
    assertThat(Await.result(recovery.sweep())).isZero();
    assertThat(released).doesNotContain(id);
    catalogDown = false;
    assertThat(Await.result(recovery.sweep())).isEqualTo(1);
    assertThat(refunded).contains(id);
    assertThat(released).contains(id);
    assertThat(status(id)).as("a saga that died while compensating is rejected").isEqualTo(OrderStatus.REJECTED);
    assertThat(Await.result(recovery.sweep())).as("owed once, compensated once").isZero();
  }

  @Test
  void anOrderBeingCompensatedIsNeverSettledFromItsCharge() {
    SagaRecovery recovery = new SagaRecovery(vertx, store, downstream, 30_000, Logger.getAnonymousLogger());
    String id = interrupted(60_000);
    charges.put(id, charge(ChargeStatus.CHARGE_STATUS_APPROVED));
    // A live saga stored its intent to refund (the charge's answer was lost) a moment ago.
    Await.result(store.oweCompensation(id, true));
    assertThat(Await.result(recovery.sweep())).isZero();
    assertThat(status(id)).as("not confirmed from a charge that is being refunded").isEqualTo(OrderStatus.PENDING);
  }

  static Future<Optional<Charge>> charge(ChargeStatus status) {
    return Future.succeededFuture(Optional.of(Charge.newBuilder().setStatus(status).build()));
  }

  @Test
  void anInterruptedSagaIsSettledFromItsCharge() {
    SagaRecovery recovery = new SagaRecovery(vertx, store, downstream, 30_000, Logger.getAnonymousLogger());
    String paid = interrupted(60_000);
    String neverCharged = interrupted(60_000);
    String declined = interrupted(60_000);
    String paymentDown = interrupted(60_000);
    String stillRunning = interrupted(1_000);
    charges.put(paid, charge(ChargeStatus.CHARGE_STATUS_APPROVED));
    charges.put(declined, charge(ChargeStatus.CHARGE_STATUS_DECLINED));
    charges.put(paymentDown, Future.failedFuture(Failure.unavailable("payment-service is down")));

    assertThat(Await.result(recovery.sweep())).isEqualTo(3);

    assertThat(status(paid)).isEqualTo(OrderStatus.CONFIRMED);
    assertThat(status(neverCharged)).isEqualTo(OrderStatus.REJECTED);
    assertThat(status(declined)).isEqualTo(OrderStatus.REJECTED);
    assertThat(released).containsExactlyInAnyOrder(neverCharged, declined);
    assertThat(status(paymentDown)).as("left for the next sweep").isEqualTo(OrderStatus.PENDING);
    assertThat(status(stillRunning)).as("a saga that may still be running is left alone").isEqualTo(OrderStatus.PENDING);

    charges.put(paymentDown, Future.succeededFuture(Optional.empty()));
    assertThat(Await.result(recovery.sweep())).isEqualTo(1);
    assertThat(status(paymentDown)).isEqualTo(OrderStatus.REJECTED);
  }
}
