package dev.shopmesh.platform.boot;

import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.DatabaseOnlyService;
import dev.shopmesh.platform.testing.TestConfig;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A service whose database cannot be used at start ends its start with a message that names the
 * service, the setting and the database, so that the process exits (and its container restarts)
 * rather than sitting unready for good: after trying again for a while where the database may only
 * be late (silent, refusing connections), at once where it answered no (no such database). One whose
 * database can be used starts, whatever its deadline.
 */
class StartOnUnusableDatabaseTest {

  final Vertx vertx = Vertx.vertx();

  /**
   * Waited for: JUnit deletes a test's directory after this, and the embedded store, closing with
   * Vert.x, removed its log file while the directory was being deleted, which failed a CI run.
   */
  @AfterEach
  void close() {
    Await.result(vertx.close());
  }

  Throwable startFailure(String dbUrl) {
    DatabaseOnlyService service = DatabaseOnlyService.migrating("start-test-service", Config.of(Map.of(
      "SHOPMESH_DB_URL", dbUrl, "SHOPMESH_GRPC_PORT", "0", "SHOPMESH_RPC_DEADLINE_MS", "1000")));
    return Await.failure(Launcher.start(vertx, List.of(service)));
  }

  /**
   * A PostgreSQL that accepts connections and never answers (frozen, or stopped behind a proxy):
   * Vert.x 5.0.7's pool failed the waiting migration and then, closing with the failed deployment,
   * failed it again; that threw, the deployment never ended, and the process neither served nor exited.
   */
  @Test
  void aStartOnAFrozenDatabaseFailsSayingWhichDatabase() throws IOException {
    try (ServerSocket frozen = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Throwable err = startFailure("postgresql://shopmesh:secret@127.0.0.1:" + frozen.getLocalPort() + "/frozen");
      assertThat(err.getMessage()).contains("start-test-service", "SHOPMESH_DB_URL", "127.0.0.1:" + frozen.getLocalPort())
        .doesNotContain("secret").containsPattern(TRIED_AGAIN);
    }
  }

  /**
   * A usable database with a deadline of a millisecond (to watch calls time out): no time was left
   * to open the first connection, and the start hung until its 60 s bound.
   */
  @Test
  void aStartWithAOneMillisecondDeadlineOpensItsDatabase(@TempDir Path data) {
    DatabaseOnlyService service = DatabaseOnlyService.migrating("start-test-service", Config.of(Map.of(
      "SHOPMESH_DATA_DIR", data.toString(), "SHOPMESH_GRPC_PORT", "0", "SHOPMESH_RPC_DEADLINE_MS", "1")));
    Await.result(Launcher.start(vertx, List.of(service)));
  }

  @Test
  void aStartOnARefusingDatabaseFailsSayingWhichDatabase() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    Throwable err = startFailure("postgresql://shopmesh:secret@127.0.0.1:" + closed + "/down");
    assertThat(err.getMessage()).contains("start-test-service", "SHOPMESH_DB_URL", "127.0.0.1:" + closed)
      .doesNotContain("secret").containsPattern(TRIED_AGAIN);
  }

  /** Tried again (for ten of its 1 s waits for a connection), as the message says. */
  static final String TRIED_AGAIN = "\\(\\d+ attempts in \\d+\\.\\d s\\)";

  /** A database that does not exist will not appear by itself: said at once, where trying again kept a user waiting for it. */
  @Test
  void aMissingDatabaseIsSaidAtOnce() {
    assumeTrue(TestConfig.postgres(), "needs PostgreSQL (SHOPMESH_DB_URL)");
    String missing = System.getenv("SHOPMESH_DB_URL").replaceFirst("/[^/?]+(\\?|$)", "/no_such_database_here$1");
    long start = System.nanoTime();
    Throwable err = startFailure(missing);
    assertThat(err.getMessage()).contains("start-test-service cannot set up its database", "no_such_database_here")
      .doesNotContain("attempt");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }
}
