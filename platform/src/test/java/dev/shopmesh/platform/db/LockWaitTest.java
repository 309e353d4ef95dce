package dev.shopmesh.platform.db;

import dev.shopmesh.platform.rpc.Rpc;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.TestConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A statement that waits for a lock another transaction holds gives up after the store's lock wait
 * and says so, on either store; on PostgreSQL it waited for good, holding its pooled connection past
 * its caller's deadline. A migration still waits for another replica's, however long.
 */
@ExtendWith(VertxExtension.class)
class LockWaitTest {

  /** Longer than a statement waits for a lock (2 s), and than this test waits for its answer. */
  static final long HELD_MILLIS = 30_000;

  @TempDir
  Path data;

  Vertx vertx;
  Database database;
  final String table = "lock_wait_" + Long.toHexString(System.nanoTime());
  /** Lets go of what a test holds, even one that failed while holding it, before its table is dropped. */
  final Promise<Void> release = Promise.promise();
  Future<Void> held = Future.succeededFuture();

  @BeforeEach
  void open(Vertx vertx) {
    this.vertx = vertx;
    database = Database.open(vertx, TestConfig.in(data), "lockwait");
    Await.result(database.migrate(List.of("CREATE TABLE IF NOT EXISTS " + table + " (id VARCHAR(64) PRIMARY KEY)")));
  }

  @AfterEach
  void close() {
    try {
      release.tryComplete();
      Await.result(held.otherwiseEmpty());
      Await.result(database.pool().query("DROP TABLE IF EXISTS " + table).execute());
    } finally {
      Await.result(database.close());
    }
  }

  @Test
  void aStatementWaitingForALockGivesUpAndSaysSo() throws Exception {
    long start = System.nanoTime();
    Throwable err;
    if (database.embedded()) {
      // Another process's writer: a connection of its own to the same file, holding the write lock.
      try (Connection other = DriverManager.getConnection(Database.embeddedUrl(data, "lockwait"));
           Statement holder = other.createStatement()) {
        holder.execute("BEGIN IMMEDIATE");
        err = Await.failure(database.inTransaction(conn -> conn.query("INSERT INTO " + table + " VALUES ('a')").execute()));
        holder.execute("ROLLBACK");
      }
    } else {
      // A schema change under way: every statement on the table queues behind its lock.
      held = database.pool().withTransaction(conn -> conn.query("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE")
        .execute().compose(locked -> Future.any(release.future(), vertx.timer(HELD_MILLIS))).mapEmpty());
      Await.until("the table locked", Await.DEFAULT, () -> locks("relation = '" + table + "'::regclass AND mode = 'AccessExclusiveLock' AND granted"));
      start = System.nanoTime();
      err = Await.failure(database.execute(new Sql("SELECT id FROM " + table), database.pool(), Map.of()));
    }
    long waitedMillis = (System.nanoTime() - start) / 1_000_000;
    assertThat(Rpc.statusOf(err)).as(err.toString()).isEqualTo(GrpcStatus.UNAVAILABLE);
    assertThat(Rpc.toStatus(err).message()).isEqualTo(
      "the database is unavailable: what the request needed stayed locked by another transaction longer than 2000 ms");
    assertThat(waitedMillis).as("ms waited for the lock").isBetween((long) Database.LOCK_WAIT_MILLIS - 100, HELD_MILLIS / 2);
  }

  /** Replicas starting while one migrates: the others wait for it, past the lock wait statements get. */
  @Test
  void aMigrationWaitsForAnotherPastTheLockWait() {
    Assumptions.assumeTrue(TestConfig.postgres(), "PostgreSQL only: the embedded store migrates on its one connection");
    held = database.pool().withTransaction(conn -> conn.query(
        "SELECT pg_advisory_xact_lock(" + Database.MIGRATION_LOCK + ")").execute()
      .compose(locked -> release.future()));
    Await.until("the migration lock taken", Await.DEFAULT, () -> locks("locktype = 'advisory' AND granted"));
    Future<Void> next = database.migrate(List.of("CREATE INDEX IF NOT EXISTS " + table + "_id ON " + table + " (id)"));
    Await.until("the next migration waiting for the lock", Await.DEFAULT, () -> locks("locktype = 'advisory' AND NOT granted"));
    Await.result(vertx.timer(Database.LOCK_WAIT_MILLIS + 1_000));
    assertThat(next.isComplete()).as("the next migration, %s", next.cause()).isFalse();
    release.complete();
    Await.result(held);
    Await.result(next);
  }

  /** Whether some lock of pg_locks matches {@code where} now. */
  private boolean locks(String where) {
    return Await.result(database.pool().query("SELECT count(*) FROM pg_locks WHERE " + where).execute())
      .iterator().next().getLong(0) > 0;
  }
}
