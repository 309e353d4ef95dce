package dev.shopmesh.platform.db;

import dev.shopmesh.platform.rpc.Rpc;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * On PostgreSQL a statement runs a second short of the deadline at most, then is cancelled and its
 * caller told why: PostgreSQL let a slow statement run for good, holding its pooled connection and
 * its locks after its caller had gone. A migration runs as long as it must.
 */
@ExtendWith(VertxExtension.class)
class StatementTimeoutTest {

  /** The deadline these tests give: statements may run a second less. */
  static final long DEADLINE_MILLIS = 2_500;

  @TempDir
  Path data;

  Database database;

  @BeforeEach
  void open(Vertx vertx) {
    assumeTrue(TestConfig.postgres(), "PostgreSQL only: the embedded store's statements run in the service's own process");
    database = Database.open(vertx, TestConfig.in(data).with("RPC_DEADLINE_MS", Long.toString(DEADLINE_MILLIS)), "statements");
  }

  @AfterEach
  void close() {
    if (database != null) {
      Await.result(database.close());
    }
  }

  @Test
  void aStatementRunningPastItsBoundIsCancelledAndSaysSo() {
    long start = System.nanoTime();
    Throwable err = Await.failure(database.execute(new Sql("SELECT pg_sleep(10)"), database.pool(), Map.of()));
    long ranMillis = (System.nanoTime() - start) / 1_000_000;
    assertThat(Rpc.statusOf(err)).as(err.toString()).isEqualTo(GrpcStatus.UNAVAILABLE);
    assertThat(Rpc.toStatus(err).message()).isEqualTo(DatabaseOutage.STATEMENT_TIMEOUT);
    assertThat(ranMillis).as("ms the statement ran").isBetween(DEADLINE_MILLIS - 1_000 - 100, DEADLINE_MILLIS);
    // The connection is back in the pool and answers.
    assertThat(Await.result(database.execute(new Sql("SELECT 1"), database.pool(), Map.of())).size()).isEqualTo(1);
  }

  @Test
  void aMigrationRunsPastTheBound() {
    long start = System.nanoTime();
    Await.result(database.migrate(List.of("SELECT pg_sleep(" + DEADLINE_MILLIS / 1000.0 + ")")));
    assertThat((System.nanoTime() - start) / 1_000_000).as("ms the migration ran").isGreaterThanOrEqualTo(DEADLINE_MILLIS);
  }
}
