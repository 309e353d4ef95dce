package dev.shopmesh.catalog.store;

import dev.shopmesh.catalog.product.Product;
import dev.shopmesh.catalog.product.ReservedLine;
import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.db.Database;
import dev.shopmesh.platform.rpc.Rpc;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.TestConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Writes that PostgreSQL runs side by side, where each transaction under READ COMMITTED misses the
 * other's uncommitted rows (SQLite writes one transaction at a time, so they cannot overlap there).
 */
@ExtendWith(VertxExtension.class)
class PostgresRacesTest {

  @TempDir
  Path data;
  Database database;
  CatalogStore store;
  final String product = "race-" + UUID.randomUUID().toString().substring(0, 8);
  final String otherProduct = product + "-2";
  final String reservationId = UUID.randomUUID().toString();

  @BeforeEach
  void start(Vertx vertx) {
    assumeTrue(TestConfig.postgres(), "PostgreSQL only (SHOPMESH_DB_URL)");
    // These races hold a row while the test looks at who waits for it, which on a loaded machine
    // can take longer than the 2 s statements wait for a lock by default.
    Config config = TestConfig.in(data);
    String url = config.get("DB_URL", "");
    database = Database.open(vertx, config.with("DB_URL", url + (url.contains("?") ? "&" : "?") + "options=-c%20lock_timeout%3D30000"),
      "catalog-service");
    store = new CatalogStore(database);
    Await.result(store.migrate());
  }

  /** Leaves the shared database as it was: CatalogServiceTest checks an empty catalog is seeded. */
  @AfterEach
  void stop() {
    if (database != null) {
      delete("DELETE FROM catalog_reservations WHERE reservation_id = $1", reservationId);
      delete("DELETE FROM catalog_released WHERE reservation_id = $1", reservationId);
      delete("DELETE FROM catalog_products WHERE id = $1", product);
      delete("DELETE FROM catalog_products WHERE id = $1", otherProduct);
      Await.result(database.close());
    }
  }

  void delete(String sql, String id) {
    Await.result(database.pool().preparedQuery(sql).execute(Tuple.of(id)));
  }

  /** How many of this database's sessions wait for a lock. */
  long waitingForALock() {
    return Await.result(database.pool().query("SELECT COUNT(*) FROM pg_stat_activity"
      + " WHERE datname = current_database() AND wait_event_type = 'Lock'").execute()).iterator().next().getLong(0);
  }

  /** An open transaction of another order that ran {@code statement} on the product's row, and so holds it. */
  Transaction holdingTheRow(String statement) {
    SqlConnection other = Await.result(database.pool().getConnection());
    Transaction holding = Await.result(other.begin());
    Await.result(other.query(statement).execute());
    holding.completion().onComplete(done -> other.close());
    return holding;
  }

  /** This test's reservation of {@code quantity} of the product, once it waits for the product's row. */
  Future<List<ReservedLine>> reservingBehindIt(int quantity) {
    Future<List<ReservedLine>> reserved = store.reserve(reservationId, Map.of(product, quantity));
    Await.until("the reservation waits for the product's row", Duration.ofSeconds(10), () -> waitingForALock() == 1);
    return reserved;
  }

  /**
   * The saga's reservation timed out while it waited for a product's row, and the saga released:
   * the release waits for the reservation and gives its stock back, rather than miss it and leave
   * the stock taken for good.
   */
  @Test
  void aReleaseRunningWhileItsReservationIsWrittenReturnsTheStock() {
    Await.result(store.importAll(List.of(new Product(product, product, "", 100, "USD", 10))));

    // Another order's transaction holds the product's row, as one taking its stock does.
    Transaction holding = holdingTheRow("SELECT stock FROM catalog_products WHERE id = '" + product + "' FOR UPDATE");
    Future<List<ReservedLine>> reserved = reservingBehindIt(2);
    Future<Boolean> released = store.release(reservationId);
    Await.until("the release has answered or waits too", Duration.ofSeconds(10),
      () -> released.isComplete() || waitingForALock() == 2);
    Await.result(holding.commit());

    assertThat(Await.result(reserved)).hasSize(1);
    assertThat(Await.result(released)).as("the release returned the reservation's stock").isTrue();
    assertThat(Await.result(store.find(product)).orElseThrow().stock()).isEqualTo(10);
  }

  /**
   * A reservation read enough stock, then found it taken once the order holding the product's row
   * committed (READ COMMITTED: the trigger's update reads the newest row, and the stock check
   * refuses -1), and a release gave stock back before it looked again why: it failed INTERNAL
   * ("internal error", an ERROR with a stack). It is taken again, and now there is stock; or, when
   * it looked why before the release committed (one CI run), it is refused for the stock it saw.
   */
  @Test
  void aReservationThatLostItsStockToAConcurrentOrderTriesAgain() {
    Await.result(store.importAll(List.of(new Product(product, product, "", 100, "USD", 1))));
    // An order's transaction takes the last one, and holds the product's row.
    Transaction took = holdingTheRow("UPDATE catalog_products SET stock = stock - 1 WHERE id = '" + product + "'");
    Future<List<ReservedLine>> reserved = reservingBehindIt(1);
    // A release gives one back, behind the reservation in the row's queue.
    Future<?> givenBack = database.pool().query("UPDATE catalog_products SET stock = stock + 1 WHERE id = '" + product + "'").execute();
    Await.until("the release waits too", Duration.ofSeconds(10), () -> waitingForALock() == 2);
    Await.result(took.commit());
    Await.result(givenBack);

    Await.until("the reservation ends", Await.DEFAULT, reserved::isComplete);
    if (reserved.succeeded()) {
      assertThat(reserved.result()).as("taken on the second try").hasSize(1);
      assertThat(Await.result(store.find(product)).orElseThrow().stock()).isZero();
    } else {
      assertThat(Rpc.toStatus(reserved.cause()).status()).as(reserved.cause().toString()).isEqualTo(GrpcStatus.FAILED_PRECONDITION);
      assertThat(reserved.cause()).hasMessage("product '" + product + "' has 0 in stock, 1 requested");
      assertThat(Await.result(store.find(product)).orElseThrow().stock()).as("the release's").isEqualTo(1);
    }
  }

  /**
   * A reservation behind a row another transaction holds past the lock wait (a long import) gives up
   * after 2 s, UNAVAILABLE and saying why, where it held its connection until the row was let go,
   * past its caller's deadline.
   */
  @Test
  void aReservationBehindARowHeldPastTheLockWaitGivesUp(Vertx vertx) {
    Await.result(store.importAll(List.of(new Product(product, product, "", 100, "USD", 10))));
    Transaction restocking = holdingTheRow("UPDATE catalog_products SET stock = 20 WHERE id = '" + product + "'");
    Database waitsTwoSeconds = Database.open(vertx, TestConfig.in(data), "catalog-service");
    try {
      Throwable err = Await.failure(new CatalogStore(waitsTwoSeconds).reserve(reservationId, Map.of(product, 1)));
      assertThat(Rpc.toStatus(err).status()).as(err.toString()).isEqualTo(GrpcStatus.UNAVAILABLE);
      assertThat(Rpc.toStatus(err).message()).startsWith("the database is unavailable: what the request needed stayed locked");
    } finally {
      Await.result(restocking.commit());
      Await.result(waitsTwoSeconds.close());
    }
  }

  /** Replicas seeding an empty catalog together, or imports at the same moment: none fails on the key, none deadlocks. */
  @Test
  void writesOfTheSameNewProductsAtOnceAllSucceed() {
    List<Product> products = List.of(new Product(product, product, "", 100, "USD", 10),
      new Product(otherProduct, otherProduct, "", 100, "USD", 10));
    List<Future<Integer>> imports = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      imports.add(store.importAll(i % 2 == 0 ? products : List.of(products.get(1), products.get(0))));
    }
    Await.result(Future.all(imports));
    assertThat(Await.result(store.find(otherProduct))).isPresent();
  }
}
