package dev.shopmesh.platform.db;

import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.rpc.Rpc;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.FreePort;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL stopped under a running service: its statements fail UNAVAILABLE saying the database
 * is unavailable. Its refused connections read "a dependency is unavailable" to clients, naming
 * neither the database nor whose it was, while a database that answered with an error said so.
 */
@ExtendWith(VertxExtension.class)
class UnreachableDatabaseTest {

  @Test
  void statementsOnADatabaseThatRefusesConnectionsSayTheDatabaseIsUnavailable(Vertx vertx) {
    Database database = Database.open(vertx, Config.of(Map.of(
      "SHOPMESH_DB_URL", "postgresql://shopmesh:shopmesh@127.0.0.1:" + FreePort.forAChild() + "/stopped")), "test");

    StatusException statement = Rpc.toStatus(Await.failure(database.execute(new Sql("SELECT 1"), database.pool(), Map.of())));
    StatusException transaction = Rpc.toStatus(Await.failure(database.inTransaction(c -> c.query("SELECT 1").execute())));

    for (StatusException status : new StatusException[] {statement, transaction}) {
      assertThat(status.status()).isEqualTo(GrpcStatus.UNAVAILABLE);
      assertThat(status.message()).isEqualTo("the database is unavailable: no connection to it");
    }
  }
}
