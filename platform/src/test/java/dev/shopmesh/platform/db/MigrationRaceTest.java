package dev.shopmesh.platform.db;

import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.TestConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replicas of a service that start together all create its schema at once (compose's
 * {@code --scale}, {@code ./shopmesh up --replicas}): every one of them must start. On PostgreSQL,
 * concurrent {@code CREATE TABLE IF NOT EXISTS} of one table fails all but one with a unique
 * violation in the system catalog unless the migrations are serialized.
 */
@ExtendWith(VertxExtension.class)
class MigrationRaceTest {

  static final int REPLICAS = 6;
  static final int ROUNDS = 5;

  @TempDir
  Path data;

  Vertx vertx;
  final List<Database> replicas = new ArrayList<>();
  final List<String> tables = new ArrayList<>();

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
  }

  @AfterEach
  void stop() {
    Database cleaner = Database.open(vertx, TestConfig.in(data), "migration");
    for (String table : tables) {
      Await.result(cleaner.pool().query("DROP TABLE IF EXISTS " + table).execute());
    }
    replicas.add(cleaner);
    replicas.forEach(replica -> Await.result(replica.close()));
  }

  @Test
  void replicasStartingTogetherAllCreateTheSchema() {
    // The embedded store shares one connection per file within a process, so nothing races there:
    // run against PostgreSQL only (.ci/run does), rather than pass without testing anything.
    Assumptions.assumeTrue(TestConfig.postgres(), "PostgreSQL only (SHOPMESH_DB_URL)");
    for (int i = 0; i < REPLICAS; i++) {
      replicas.add(Database.open(vertx, TestConfig.in(data), "migration"));
    }
    for (int round = 0; round < ROUNDS; round++) {
      String table = "migration_race_" + Long.toHexString(System.nanoTime()) + "_" + round;
      tables.add(table);
      List<String> schema = List.of(
        "CREATE TABLE IF NOT EXISTS " + table + " (id VARCHAR(64) PRIMARY KEY, note VARCHAR(100) NOT NULL)",
        "CREATE INDEX IF NOT EXISTS " + table + "_note ON " + table + " (note)");
      List<Future<Void>> started = new ArrayList<>();
      replicas.forEach(replica -> started.add(replica.migrate(schema)));
      Await.result(Future.join(started).otherwiseEmpty());
      for (Future<Void> replica : started) {
        assertThat(replica.cause()).as("a replica's migration of %s", table).isNull();
      }
    }
  }
}
