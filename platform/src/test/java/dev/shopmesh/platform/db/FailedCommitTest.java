package dev.shopmesh.platform.db;

import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * On the embedded store a transaction whose COMMIT fails is rolled back: SQLite keeps it open, and
 * on the connection the service shares, later statements would join it and be lost with it.
 */
@ExtendWith(VertxExtension.class)
class FailedCommitTest {

  @TempDir
  Path data;
  Database database;

  @AfterEach
  void stop() {
    if (database != null) {
      Await.result(database.close());
    }
  }

  @Test
  void aTransactionWhoseCommitFailsIsRolledBackAndTheConnectionServesOn(Vertx vertx) {
    assumeFalse(TestConfig.postgres(), "the embedded store's own transactions");
    database = Database.open(vertx, TestConfig.in(data), "commit-test");
    // A deferred foreign key is checked at COMMIT, which then fails with the transaction still open.
    // (The pragma is a no-op inside a transaction, so it runs on its own, on the shared connection.)
    Await.result(database.pool().query("PRAGMA foreign_keys = ON").execute());
    Await.result(database.migrate(List.of("CREATE TABLE parent (id TEXT PRIMARY KEY)",
      "CREATE TABLE child (id TEXT PRIMARY KEY, parent TEXT REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)",
      "CREATE TABLE note (id TEXT PRIMARY KEY)")));

    Throwable failed = Await.failure(database.inTransaction(conn -> conn.query("INSERT INTO child VALUES ('c', 'none')").execute()));
    assertThat(failed).hasMessageContaining("FOREIGN KEY");

    Await.result(database.pool().query("INSERT INTO note VALUES ('outside a transaction')").execute());
    Await.result(database.inTransaction(conn -> conn.query("INSERT INTO note VALUES ('in one')").execute()));
    assertThat(Await.result(database.pool().query("SELECT COUNT(*) FROM note").execute()).iterator().next().getLong(0))
      .isEqualTo(2);
    assertThat(Await.result(database.pool().query("SELECT COUNT(*) FROM child").execute()).iterator().next().getLong(0))
      .isZero();
  }
}
