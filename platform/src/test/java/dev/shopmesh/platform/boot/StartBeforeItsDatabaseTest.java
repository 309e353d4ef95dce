package dev.shopmesh.platform.boot;

import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.DatabaseOnlyService;
import dev.shopmesh.platform.testing.FreePort;
import dev.shopmesh.platform.testing.TestConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.pgclient.PgConnectOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A replica started before its PostgreSQL accepts connections (docker compose on a busy host: the
 * database's container up, its server not yet, or too slow to hand out a first connection within a
 * statement's wait) starts once the database is there, where it exited after one wait.
 */
class StartBeforeItsDatabaseTest {

  final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    Await.result(vertx.close());
  }

  @Test
  void aReplicaStartedBeforeItsDatabaseStartsOnceTheDatabaseIsThere() {
    assumeTrue(TestConfig.postgres(), "needs PostgreSQL (SHOPMESH_DB_URL)");
    PgConnectOptions real = PgConnectOptions.fromUri(System.getenv("SHOPMESH_DB_URL"));
    int port = FreePort.forAChild();
    // Nothing listens on the port for the replica's first tries; then it leads to the database.
    vertx.setTimer(2_500, late -> relay(port, real));
    DatabaseOnlyService service = DatabaseOnlyService.migrating("late-db-service", Config.of(Map.of(
      "SHOPMESH_DB_URL", "postgresql://" + real.getUser() + ":" + real.getPassword() + "@127.0.0.1:" + port + "/" + real.getDatabase(),
      "SHOPMESH_GRPC_PORT", "0", "SHOPMESH_RPC_DEADLINE_MS", "1000")));
    Await.result(Launcher.start(vertx, List.of(service)));
  }

  /** A TCP relay on {@code port} to the real database: PostgreSQL starting late, at that address. */
  private Future<NetServer> relay(int port, PgConnectOptions real) {
    NetClient client = vertx.createNetClient();
    return vertx.createNetServer().connectHandler(in -> {
      in.pause();
      client.connect(real.getPort(), real.getHost()).onComplete(out -> {
        if (out.failed()) {
          in.close();
          return;
        }
        in.pipeTo(out.result());
        out.result().pipeTo(in);
        in.resume();
      });
    }).listen(port, "127.0.0.1");
  }
}
