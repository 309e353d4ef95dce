package dev.shopmesh.order.saga;

import dev.shopmesh.order.order.NewOrder;
import dev.shopmesh.order.order.Order;
import dev.shopmesh.order.order.OrderStatus;
import dev.shopmesh.order.order.Rejection;
import dev.shopmesh.order.store.OrderStore;
import dev.shopmesh.order.tracking.OrderChanges;
import dev.shopmesh.platform.db.Database;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.TestConfig;
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
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lines of one product are merged before an order is stored, and its idempotency fingerprint is
 * taken on them. An order stored before that (by an older replica, in a rolling upgrade), with a
 * product on two lines, kept the fingerprint of its lines as sent: its retry is still the same order.
 */
@ExtendWith(VertxExtension.class)
class MergedLinesReplayTest {

  @TempDir
  Path data;
  Database database;
  OrderStore store;
  PlaceOrderSaga saga;

  @BeforeEach
  void start(Vertx vertx) {
    database = Database.open(vertx, TestConfig.in(data), "order-service");
    OrderChanges changes = new OrderChanges(vertx);
    store = new OrderStore(database, changes);
    Await.result(store.migrate());
    // Nothing downstream is reached: a replay answers the stored order.
    saga = new PlaceOrderSaga(vertx, store, changes, new Downstream(null), 2_000, Logger.getAnonymousLogger());
  }

  @AfterEach
  void stop() {
    Await.result(database.close());
  }

  @Test
  void aRetryOfAnOrderStoredWithItsLinesAsSentIsTheSameOrder() {
    String key = UUID.randomUUID().toString();
    NewOrder asSent = new NewOrder(key, "c", List.of(new NewOrder.Item("mug", 1), new NewOrder.Item("mug", 2)),
      new NewOrder.PaymentCard("4242424242424242", "12/30", "123"));
    // Stored as an older replica stored it: the lines as sent.
    Order stored = Await.result(store.insertPending(UUID.randomUUID().toString(), asSent, System.currentTimeMillis())).orElseThrow();
    Await.result(store.finish(stored, OrderStatus.REJECTED, null, Rejection.OUT_OF_STOCK, "product 'mug' has 0 in stock"));

    Order replayed = Await.result(saga.place(asSent));
    assertThat(replayed.id()).isEqualTo(stored.id());
  }
}
