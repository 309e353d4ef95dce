package dev.shopmesh.order.store;

import dev.shopmesh.order.order.NewOrder;
import dev.shopmesh.order.order.Order;
import dev.shopmesh.order.order.OrderStatus;
import dev.shopmesh.order.order.Rejection;
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
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** Idempotency keys are kept for their time to live after the order was placed, then forgotten. */
@ExtendWith(VertxExtension.class)
class KeyExpiryTest {

  static final Duration TTL = Duration.ofHours(24);

  @TempDir
  Path data;
  Vertx vertx;
  Database database;
  OrderStore store;
  KeyExpiry expiry;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    database = Database.open(vertx, TestConfig.in(data), "order-service");
    store = new OrderStore(database, new OrderChanges(vertx));
    Await.result(store.migrate());
    expiry = new KeyExpiry(store, TTL, Logger.getLogger("test"));
  }

  @AfterEach
  void stop() {
    Await.result(database.close());
  }

  /** An order placed {@code ago} with a fresh key, left PENDING or finished; answers its key. */
  String placed(Duration ago, boolean finished) {
    String key = UUID.randomUUID().toString();
    Order placed = Await.result(store.insertPending(UUID.randomUUID().toString(), order(key), System.currentTimeMillis() - ago.toMillis()))
      .orElseThrow();
    if (finished) {
      Await.result(store.finish(placed, OrderStatus.CONFIRMED, null, Rejection.NONE, ""));
    }
    return key;
  }

  static NewOrder order(String key) {
    return new NewOrder(key, "c", List.of(new NewOrder.Item("mug", 1)), new NewOrder.PaymentCard("4242424242424242", "12/30", "123"));
  }

  boolean known(String key) {
    return Await.result(store.findByKey(key)).isPresent();
  }

  @Test
  void aFinalOrdersKeyIsForgottenOnlyAfterItsTimeToLive() {
    String old = placed(TTL.plusMinutes(1), true);
    String recent = placed(TTL.minusMinutes(1), true);
    String stuck = placed(TTL.plusMinutes(1), false);
    assertThat(Await.result(expiry.sweep())).isGreaterThanOrEqualTo(1);
    assertThat(known(old)).as("older than the TTL: a new order may use the key").isFalse();
    assertThat(known(recent)).as("within the TTL: a retry still gets the first result").isTrue();
    assertThat(known(stuck)).as("a PENDING order keeps its key until settled").isTrue();
    Order next = Await.result(store.insertPending(UUID.randomUUID().toString(), order(old), System.currentTimeMillis()))
      .orElseThrow();
    assertThat(Await.result(store.findByKey(old))).as("the old key, now the new order's").map(k -> k.order().id()).contains(next.id());
  }

  /**
   * A retry's key stores nothing and says so, rather than failing: on PostgreSQL the failure was a
   * unique violation, an ERROR line in its log for every retried order.
   */
  @Test
  void aKeyStillKeptStoresNothingAndSaysSo() {
    String kept = placed(TTL.minusMinutes(1), true);
    String first = Await.result(store.findByKey(kept)).orElseThrow().order().id();
    assertThat(Await.result(store.insertPending(UUID.randomUUID().toString(), order(kept), System.currentTimeMillis())))
      .as("nothing stored under a key taken").isEmpty();
    assertThat(Await.result(store.findByKey(kept))).map(k -> k.order().id()).contains(first);
  }
}
