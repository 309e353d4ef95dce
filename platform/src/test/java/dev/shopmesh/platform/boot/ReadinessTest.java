package dev.shopmesh.platform.boot;

import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.lb.HealthProbe;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.DatabaseOnlyService;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replica is ready, as its callers' health probes and the container's health check ask, unless
 * its database refuses it: one whose PostgreSQL is down is not, though its process listens.
 */
class ReadinessTest {

  Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  boolean ready(String dbUrl) {
    DatabaseOnlyService service = new DatabaseOnlyService("ready-test-service", Config.of(Map.of("SHOPMESH_DB_URL", dbUrl, "SHOPMESH_GRPC_PORT", "0",
      "SHOPMESH_RPC_DEADLINE_MS", "300")));
    Await.result(vertx.deployVerticle(service));
    return Await.result(HealthProbe.check(vertx, SocketAddress.inetSocketAddress(service.grpcPort(), "127.0.0.1"), 2_000));
  }

  @Test
  void aReplicaWhoseDatabaseRefusesConnectionsIsNotReady() throws IOException {
    assertThat(ready("postgresql://shopmesh:shopmesh@127.0.0.1:" + closedPort() + "/down")).isFalse();
  }

  /** Slow is not down: under load every replica would leave /health at once. */
  @Test
  void aReplicaWhoseDatabaseIsOnlySlowStaysReady() throws IOException {
    try (ServerSocket frozen = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      assertThat(ready("postgresql://shopmesh:shopmesh@127.0.0.1:" + frozen.getLocalPort() + "/frozen")).isTrue();
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
    assertThat(ready("jdbc:sqlite:" + dir.resolve("ready.db"))).isTrue();
  }
}
