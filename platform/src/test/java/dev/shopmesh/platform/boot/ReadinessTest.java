package dev.shopmesh.platform.boot;

import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.db.Database;
import dev.shopmesh.platform.db.DatabaseReadiness;
import dev.shopmesh.platform.lb.HealthProbe;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.DatabaseOnlyService;
import dev.shopmesh.platform.testing.LogCapture;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replica is ready, as its callers' health probes and the container's health check ask, unless
 * its database refuses it: one whose PostgreSQL is down is not, though its process listens.
 */
@ExtendWith(VertxExtension.class)
class ReadinessTest {

  Vertx vertx;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
  }

  /** A replica of a service whose database is at {@code dbUrl}, and how it answers a health check now. */
  BooleanSupplier replica(String dbUrl) {
    return healthOf(new DatabaseOnlyService("ready-test-service", Config.of(Map.of("SHOPMESH_DB_URL", dbUrl,
      "SHOPMESH_GRPC_PORT", "0"))));
  }

  BooleanSupplier healthOf(DatabaseOnlyService service) {
    Await.result(vertx.deployVerticle(service));
    SocketAddress address = SocketAddress.inetSocketAddress(service.grpcPort(), "127.0.0.1");
    return () -> Await.result(HealthProbe.check(vertx, address, 2_000));
  }

  /**
   * A full disk still serves the readiness look, a read, while every write fails: the replica said
   * it was ready, and /health UP, while every order failed. SQLite's max_page_count stands in for
   * the full disk: a write past it fails SQLITE_FULL, as one past the disk's end does.
   */
  @Test
  void aReplicaWhoseDatabaseRefusesWritesForWantOfSpaceIsNotReady(@TempDir Path dir) {
    DatabaseOnlyService service = DatabaseOnlyService.migrating("ready-test-service", Config.of(Map.of(
      "SHOPMESH_DB_URL", "jdbc:sqlite:" + dir.resolve("full.db"), "SHOPMESH_GRPC_PORT", "0")));
    BooleanSupplier ready = healthOf(service);
    assertThat(ready.getAsBoolean()).isTrue();
    Database database = service.db();
    Await.result(database.pool().query("PRAGMA max_page_count = 4").execute());
    Throwable full = Await.failure(database.inTransaction(conn -> conn.query(
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) INSERT INTO started (id) SELECT i FROM n")
      .execute()));
    assertThat(full).hasMessageContaining("full");
    assertThat(ready.getAsBoolean()).as("ready, just after the write refused for want of space").isFalse();
  }

  /** And says so in its log, once and with why: an outage of its database showed only in the requests that failed. */
  @Test
  void aReplicaWhoseDatabaseRefusesConnectionsIsNotReady() throws IOException {
    try (LogCapture log = new LogCapture("shopmesh", Level.INFO)) {
      BooleanSupplier ready = replica("postgresql://shopmesh:shopmesh@127.0.0.1:" + closedPort() + "/down");
      Await.until("the replica says it is not ready", Duration.ofSeconds(10), () -> !ready.getAsBoolean());
      assertThat(ready.getAsBoolean()).isFalse();
      assertThat(log.messagesContaining("is not ready")).containsExactly(
        "ready-test-service is not ready: the database refuses this replica (down, restarting, or a password changed)");
    }
  }

  /** Slow is not down: under load every replica would leave /health at once. */
  @Test
  void aReplicaWhoseDatabaseIsOnlySlowStaysReady() throws IOException {
    try (ServerSocket frozen = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      BooleanSupplier ready = replica("postgresql://shopmesh:shopmesh@127.0.0.1:" + frozen.getLocalPort() + "/frozen");
      long start = System.nanoTime();
      List<Boolean> answers = new ArrayList<>();
      // Checks for 3 s: a database silent for less than DatabaseReadiness.SILENT_MILLIS.
      Await.until("two looks at the frozen database", Duration.ofSeconds(10), () -> {
        answers.add(ready.getAsBoolean());
        return System.nanoTime() - start > 3_000_000_000L;
      });
      assertThat(answers).containsOnly(true);
    }
  }

  /**
   * Silent for longer than a call's deadline is gone: a stopped container's address answers
   * nothing, and the replica said it was ready while every order waited out its deadline.
   */
  @Test
  void aReplicaWhoseDatabaseStaysSilentIsSoonNotReady() throws IOException {
    try (ServerSocket frozen = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      BooleanSupplier ready = replica("postgresql://shopmesh:shopmesh@127.0.0.1:" + frozen.getLocalPort() + "/frozen");
      long start = System.nanoTime();
      Await.until("the replica says it is not ready", Duration.ofSeconds(15), () -> !ready.getAsBoolean());
      assertThat((System.nanoTime() - start) / 1_000_000).as("ms until then").isGreaterThan(DatabaseReadiness.SILENT_MILLIS - 1_000);
    }
  }

  /** A port nothing listens on: the database is down. */
  static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Test
  void aReplicaWhoseDatabaseAnswersIsReady(@TempDir Path dir) {
    BooleanSupplier ready = replica("jdbc:sqlite:" + dir.resolve("ready.db"));
    assertThat(List.of(ready.getAsBoolean(), ready.getAsBoolean())).containsOnly(true);
  }
}
