package dev.shopmesh.catalog.store;

import dev.shopmesh.catalog.product.Product;
import dev.shopmesh.catalog.product.ReservationLine;
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
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** The audit reads reservation lines a page at a time, in their reservations' order ({@link CatalogStore#reservationLines}). */
@ExtendWith(VertxExtension.class)
class ReservationPagesTest {

  @TempDir
  Path data;
  Database database;
  CatalogStore store;
  /** This run's rows (a PostgreSQL database keeps other tests' rows too). */
  final String run = "pages-" + UUID.randomUUID().toString().substring(0, 8) + "-";

  @BeforeEach
  void start(Vertx vertx) {
    database = Database.open(vertx, TestConfig.in(data), "catalog-service");
    store = new CatalogStore(database);
    Await.result(store.migrate());
    Await.result(store.importAll(List.of(new Product(run + "mug", "Mug", "", 100, "USD", 10),
      new Product(run + "pen", "Pen", "", 100, "USD", 10))));
  }

  @AfterEach
  void stop() {
    for (String table : List.of("catalog_reservations WHERE reservation_id", "catalog_released WHERE reservation_id",
      "catalog_products WHERE id")) {
      Await.result(database.pool().preparedQuery("DELETE FROM " + table + " LIKE $1").execute(Tuple.of(run + "%")));
    }
    Await.result(database.close());
  }

  @Test
  void pagesGoThroughEveryLineInReservationThenProductOrder() {
    Await.result(store.reserve(run + "b", Map.of(run + "pen", 1, run + "mug", 1)));
    Await.result(store.reserve(run + "c", Map.of(run + "mug", 1)));
    Await.result(store.reserve(run + "a", Map.of(run + "pen", 2)));
    Await.result(store.release(run + "c"));
    List<ReservationLine> read = KeysetPages.read(last -> store.reservationLines(last == null ? run : last.reservationId(),
      last == null ? "" : last.productId(), 2), 2, l -> l.reservationId().startsWith(run));
    assertThat(read).extracting(l -> l.reservationId().substring(run.length()) + "/" + l.productId().substring(run.length())
        + "/" + l.quantity() + (l.released() ? "/released" : ""))
      .containsExactly("a/pen/2", "b/mug/1", "b/pen/1", "c/mug/1/released");
  }

  @Test
  void aPageReadsTheKeyNotTheTable() {
    // PostgreSQL's planner scans small tables whatever their indexes; SQLite's plan says which it reads.
    assumeFalse(TestConfig.postgres(), "query plans are checked on the embedded store");
    assertThat(QueryPlan.of(database, CatalogStore.LINES_PAGE, Tuple.of("", "", 10)))
      .allMatch(step -> step.contains("USING INDEX sqlite_autoindex_catalog_reservations_1"));
  }
}
