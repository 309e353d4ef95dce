package dev.shopmesh.payment.store;

import dev.shopmesh.payment.charge.Charge;
import dev.shopmesh.platform.db.Database;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.KeysetPages;
import dev.shopmesh.platform.testing.QueryPlan;
import dev.shopmesh.platform.testing.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** The audit reads charges a page at a time, in their orders' order, beside the orders ({@link ChargeStore#page}). */
@ExtendWith(VertxExtension.class)
class ChargePagesTest {

  @TempDir
  Path data;
  Database database;
  ChargeStore store;
  /** This run's charges (a PostgreSQL database keeps other tests' charges too). */
  final String run = "pages-" + UUID.randomUUID() + "-";

  @BeforeEach
  void start(Vertx vertx) {
    database = Database.open(vertx, TestConfig.in(data), "payment-service");
    store = new ChargeStore(database);
    Await.result(store.migrate());
  }

  @AfterEach
  void stop() {
    Await.result(database.pool().preparedQuery("DELETE FROM payment_charges WHERE order_id LIKE $1").execute(Tuple.of(run + "%")));
    Await.result(database.close());
  }

  void charge(String orderId, String key) {
    Await.result(store.insertOrGet(new Charge(UUID.randomUUID().toString(), run + key, run + orderId, 100, "USD",
      Charge.Status.APPROVED, "", "4242")));
  }

  @Test
  void pagesGoThroughEveryChargeInOrderIdThenKeyOrder() {
    charge("b", "k2");
    charge("c", "k0");
    charge("a", "k3");
    charge("b", "k1");
    List<Charge> read = KeysetPages.read(last -> store.page(last == null ? run : last.orderId(), last == null ? "" : last.key(), 2),
      2, c -> c.orderId().startsWith(run));
    assertThat(read).extracting(c -> c.orderId().substring(run.length()) + "/" + c.key().substring(run.length()))
      .containsExactly("a/k3", "b/k1", "b/k2", "c/k0");
  }

  @Test
  void aPageReadsTheIndexNotTheTable() {
    // PostgreSQL's planner scans small tables whatever their indexes; SQLite's plan says which it reads.
    assumeFalse(TestConfig.postgres(), "query plans are checked on the embedded store");
    assertThat(QueryPlan.of(database, ChargeStore.PAGE, Tuple.of("", "", 10)))
      .allMatch(step -> step.contains("USING INDEX payment_charges_by_order"));
  }
}
