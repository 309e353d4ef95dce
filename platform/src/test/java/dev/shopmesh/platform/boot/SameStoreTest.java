package dev.shopmesh.platform.boot;

import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.DatabaseOnlyService;
import dev.shopmesh.platform.testing.FreePort;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every replica of a service keeps its data in the same kind of store. One run in a terminal without
 * the SHOPMESH_DB_URL of the up on PostgreSQL it joined seeded an embedded store of its own and took
 * half the catalog's reservations: two stocks, answered in turn, and an audit that saw nothing wrong.
 */
@ExtendWith(VertxExtension.class)
class SameStoreTest {

  static DatabaseOnlyService replica(String dbUrl) {
    return DatabaseOnlyService.migrating("store-test-service", Config.of(Map.of("SHOPMESH_DB_URL", dbUrl, "SHOPMESH_GRPC_PORT", "0")));
  }

  /** A replica on PostgreSQL that never asks it anything here (none runs in this test). */
  static DatabaseOnlyService onPostgres(String host, int port) {
    return new DatabaseOnlyService("store-test-service", Config.of(Map.of(
      "SHOPMESH_DB_URL", "postgresql://shop:secret@" + host + ":" + port + "/shop", "SHOPMESH_GRPC_PORT", "0")));
  }

  @Test
  void aReplicaOnAnotherKindOfStoreIsRefusedAtStart(Vertx vertx, @TempDir Path dir) {
    int port = FreePort.forAChild();
    Await.result(vertx.deployVerticle(onPostgres("127.0.0.1", port)));

    Throwable refused = Await.failure(vertx.deployVerticle(replica("jdbc:sqlite:" + dir.resolve("own.db"))));
    assertThat(refused).isInstanceOf(IllegalArgumentException.class).hasMessageMatching(
      "store-test-service's replica at 127\\.0\\.0\\.1:\\d+ keeps its data in PostgreSQL \\(SHOPMESH_DB_URL\\); this one would"
        + " keep it in an embedded store \\(SHOPMESH_DATA_DIR\\): give every replica of a service the same SHOPMESH_DB_URL")
      .hasMessageNotContaining("secret");
    assertThat(dir.resolve("own.db")).as("refused before it opened a store").doesNotExist();

    // The same PostgreSQL may answer under another name or port (a mapped port, a pooler): not refused.
    Await.result(vertx.deployVerticle(onPostgres("localhost", port + 1)));
  }
}
