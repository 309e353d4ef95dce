package dev.shopmesh.platform.boot;

import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.DatabaseOnlyService;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every replica of a service keeps its data in one store. One run in a terminal without the
 * SHOPMESH_DB_URL of the up it joined seeded an embedded store of its own and took half the
 * catalog's reservations: two stocks, answered in turn, and an audit that saw nothing wrong.
 */
@ExtendWith(VertxExtension.class)
class SameStoreTest {

  static DatabaseOnlyService replica(String dbUrl) {
    return DatabaseOnlyService.migrating("store-test-service", Config.of(Map.of("SHOPMESH_DB_URL", dbUrl, "SHOPMESH_GRPC_PORT", "0")));
  }

  @Test
  void aReplicaThatWouldKeepItsDataElsewhereIsRefusedAtStart(Vertx vertx, @TempDir Path dir) {
    String shared = "jdbc:sqlite:" + dir.resolve("shared.db");
    Await.result(vertx.deployVerticle(replica(shared)));

    Throwable refused = Await.failure(vertx.deployVerticle(replica("jdbc:sqlite:" + dir.resolve("other.db"))));
    assertThat(refused).isInstanceOf(IllegalArgumentException.class).hasMessageMatching(
      "store-test-service's replica at 127\\.0\\.0\\.1:\\d+ keeps its data in the embedded store .*shared\\.db; this one would"
        + " keep it in the embedded store .*other\\.db: give every replica of a service the same SHOPMESH_DB_URL .*");
    assertThat(dir.resolve("other.db")).as("refused before it opened a store").doesNotExist();

    // The same store, named another way, is the same store.
    Await.result(vertx.deployVerticle(replica("jdbc:sqlite:" + dir.resolve("sub/../shared.db") + "?busy_timeout=100")));
  }

  @Test
  void aStoreReachedThroughALinkIsTheSameStore(Vertx vertx, @TempDir Path dir) throws Exception {
    Path real = Files.createDirectory(dir.resolve("real"));
    Path link = Files.createSymbolicLink(dir.resolve("link"), real);
    Await.result(vertx.deployVerticle(replica("jdbc:sqlite:" + real.resolve("shop.db"))));
    Await.result(vertx.deployVerticle(replica("jdbc:sqlite:" + link.resolve("shop.db"))));
  }
}
