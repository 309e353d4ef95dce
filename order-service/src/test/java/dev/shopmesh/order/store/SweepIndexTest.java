package dev.shopmesh.order.store;

import dev.shopmesh.order.tracking.OrderChanges;
import dev.shopmesh.platform.db.Database;
import dev.shopmesh.platform.db.Sql;
import dev.shopmesh.platform.testing.Await;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The housekeeping sweeps (interrupted sagas, owed compensations, expired keys) that every replica
 * runs every few seconds, and the audit's pages, read an index, not the whole order history: a full scan ran on the
 * connection every order waits for, and stalled orders longer the more orders were stored. Checked
 * with SQLite's query plans (PostgreSQL's planner scans small tables whatever their indexes).
 */
@ExtendWith(VertxExtension.class)
class SweepIndexTest {

  @TempDir
  Path data;
  Vertx vertx;
  Database database;

  @BeforeEach
  void start(Vertx vertx) {
    assumeFalse(TestConfig.postgres(), "query plans are checked on the embedded store");
    this.vertx = vertx;
    database = Database.open(vertx, TestConfig.in(data), "order-service");
    Await.result(new OrderStore(database, new OrderChanges(vertx)).migrate());
  }

  @AfterEach
  void stop() {
    if (database != null) {
      Await.result(database.close());
    }
  }

  @Test
  void everySweepReadsAnIndex() {
    assertThat(plan(OrderStore.PENDING_SINCE, Tuple.of(0L, 10))).allMatch(step -> step.contains("USING INDEX orders_pending"));
    assertThat(plan(OrderStore.OWED_COMPENSATIONS, Tuple.of(0L, 10))).allMatch(step -> step.contains("USING INDEX orders_owed"));
    assertThat(plan(OrderStore.EXPIRE_KEYS, Tuple.of(0L))).allMatch(step -> step.contains("USING INDEX orders_keyed"));
  }

  /** The audit too reads the orders a page at a time, each page from the primary key's index. */
  @Test
  void eachPageOfTheAuditReadsTheKey() {
    assertThat(plan(OrderStore.PAGE, Tuple.of("", 10))).allMatch(step -> step.contains("USING INDEX sqlite_autoindex_orders_1 (id>?)"));
  }

  List<String> plan(Sql sql, Tuple params) {
    return QueryPlan.of(database, sql, params);
  }
}
