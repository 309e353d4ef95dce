package dev.shopmesh.order.store;

import dev.shopmesh.order.order.Order;
import dev.shopmesh.order.order.OrderStatus;
import dev.shopmesh.order.order.Rejection;
import dev.shopmesh.order.tracking.OrderChanges;
import dev.shopmesh.platform.db.Database;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On PostgreSQL, finishing an order is a statement prepared once per connection, as every other:
 * PostgreSQL refused to prepare it as written (one parameter, two types), and Vert.x prepared it
 * again for every order, uncached, with an error in PostgreSQL's log each time (21,906 in a day of CI).
 */
@ExtendWith(VertxExtension.class)
class PreparedFinishTest {

  @TempDir
  Path data;

  @Test
  void finishingAnOrderIsPreparedOnceAndKept(Vertx vertx) {
    Assumptions.assumeTrue(TestConfig.postgres(), "needs SHOPMESH_DB_URL");
    // One connection, so that the statements it keeps prepared are the ones this test looks at.
    Database database = Database.open(vertx, TestConfig.in(data).with("DB_POOL_SIZE", "1"), "order-service");
    OrderStore store = new OrderStore(database, new OrderChanges(vertx));
    Await.result(store.migrate());
    for (Rejection rejection : new Rejection[] {Rejection.INVALID_INPUT, Rejection.PAYMENT_DECLINED}) {
      Order placed = Await.result(store.insertPending(UUID.randomUUID().toString(),
        KeyExpiryTest.order(UUID.randomUUID().toString()), System.currentTimeMillis())).orElseThrow();
      assertThat(Await.result(store.finish(placed, OrderStatus.REJECTED, null, rejection, "test")).status())
        .isEqualTo(OrderStatus.REJECTED);
    }
    long kept = Await.result(database.pool().query(
      "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'UPDATE orders SET status%'").execute())
      .iterator().next().getLong(0);
    assertThat(kept).as("the finishing statement, prepared and kept").isEqualTo(1);
    Await.result(database.close());
  }
}
