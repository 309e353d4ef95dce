package dev.shopmesh.platform.db;

import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.rpc.Rpc;
import dev.shopmesh.platform.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded store's one connection held longer than a statement waits for it, as a long queue of statements holds it. */
@ExtendWith(VertxExtension.class)
class BusyDatabaseTest {

  /** Longer than a statement waits for the connection (1 s here), shorter than silence (5 s). */
  static final long HELD_MILLIS = 2_500;

  /** A statement waits 1 s at most for the connection, with a 1 s deadline. */
  static Database opened(Vertx vertx, Path data) {
    Database database = Database.open(vertx, Config.of(Map.of("SHOPMESH_DATA_DIR", data.toString(),
      "SHOPMESH_RPC_DEADLINE_MS", "1000")), "test");
    Await.result(database.reachable());
    return database;
  }

  /** A transaction that holds the store's one connection for {@link #HELD_MILLIS}. */
  static Future<Object> holding(Vertx vertx, Database database) {
    return database.inTransaction(conn -> vertx.timer(HELD_MILLIS).map(v -> null));
  }

  /**
   * The readiness look waits behind every statement queued on the connection. Under a burst of
   * catalog streams it waited longer than a statement may wait for a connection, was counted as the
   * database refusing, and the replica answered NOT_SERVING (the gateway's /health 503) with its
   * database answering all along.
   */
  @Test
  void readinessStaysWhileTheConnectionIsBusy(Vertx vertx, @TempDir Path data) {
    Database database = opened(vertx, data);
    DatabaseReadiness readiness = new DatabaseReadiness(database::reachable, database::lastFullMillis,
      database::lastAnsweredMillis, System::currentTimeMillis);
    long start = System.currentTimeMillis();
    Future<Object> held = holding(vertx, database);
    Future<Boolean> look = database.reachable();
    List<Long> notReadyAt = new ArrayList<>();
    Await.until("the transaction to end", Duration.ofSeconds(30), () -> {
      if (!readiness.ready()) {
        notReadyAt.add(System.currentTimeMillis() - start);
      }
      return held.isComplete();
    });
    assertThat(notReadyAt).as("ms into the %d ms busy when readiness said no", HELD_MILLIS).isEmpty();
    assertThat(DatabaseOutage.noConnectionInTime(Await.failure(look))).as("a look that found no connection free in time").isTrue();
    Await.until("a look once the connection is free", Duration.ofSeconds(5), readiness::ready);
    Await.result(database.close());
  }

  /**
   * An order's transaction that found no connection free in time is UNAVAILABLE, saying so, which a
   * caller may retry elsewhere: it was INTERNAL, logged with a stack as a bug.
   */
  @Test
  void aTransactionThatFindsNoConnectionInTimeIsUnavailable(Vertx vertx, @TempDir Path data) {
    Database database = opened(vertx, data);
    Future<Object> held = holding(vertx, database);
    Throwable err = Await.failure(database.inTransaction(conn -> conn.query("SELECT 1").execute()));
    assertThat(Rpc.statusOf(err)).as(err.toString()).isEqualTo(GrpcStatus.UNAVAILABLE);
    assertThat(Rpc.toStatus(err).message())
      .isEqualTo("the database is unavailable: no connection to it came free in time (busy, or not answering)");
    Await.result(held);
    Await.result(database.close());
  }
}
