package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.lb.HealthProbe;
import dev.shopmesh.platform.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A plain HTTP/1.1 {@code GET /ready} on a mesh server's gRPC port is answered the replica's
 * readiness, as {@code grpc.health.v1.Health/Check} answers it: what docker compose's health check
 * asks with a shell alone, where it started a JVM with a gRPC client every 10 s in every container.
 */
@ExtendWith(VertxExtension.class)
class ReadyPathTest {

  Vertx vertx;
  HttpClientAgent http;
  MeshServer server;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    http = vertx.createHttpClient();
    server = Await.result(MeshServer.start(vertx, new RpcSettings(5_000, 64 * 1024, 100), "127.0.0.1", 0, 1, 0, false, List.of(),
      Logger.getLogger("test"), GrpcCallCounts.create()));
  }

  @Test
  void aReadyReplicaAnswers200Serving() {
    assertThat(get(CallGate.READY_PATH)).isEqualTo("200 SERVING\n");
  }

  @Test
  void aReplicaNotReadyAnswers503NotServing() {
    server.health().register(HealthProbe.READY, () -> Future.succeededFuture(false));
    assertThat(get(CallGate.READY_PATH)).isEqualTo("503 NOT_SERVING\n");
  }

  /** A readiness check that fails (its database's look threw) is not ready either, not a request left unanswered. */
  @Test
  void aReadinessCheckThatFailsAnswers503NotServing() {
    server.health().register(HealthProbe.READY, () -> Future.failedFuture("the database's look failed"));
    assertThat(get(CallGate.READY_PATH)).isEqualTo("503 NOT_SERVING\n");
  }

  /** {@code curl -I}: the status alone. */
  @Test
  void aHeadAsksTheSame() {
    assertThat(ask(HttpMethod.HEAD, CallGate.READY_PATH)).isEqualTo("200 ");
    server.health().register(HealthProbe.READY, () -> Future.succeededFuture(false));
    assertThat(ask(HttpMethod.HEAD, CallGate.READY_PATH)).isEqualTo("503 ");
  }

  @Test
  void anotherPathIsStillToldThisPortSpeaksGrpc() {
    assertThat(get("/health")).isEqualTo("415 " + CallGate.NOT_GRPC);
  }

  /** The status code and body of a GET of {@code path}, over HTTP/1.1 as a shell's /dev/tcp sends it. */
  private String get(String path) {
    return ask(HttpMethod.GET, path);
  }

  private String ask(HttpMethod method, String path) {
    return Await.onEventLoop(vertx, () -> http.request(method, server.port(), "127.0.0.1", path)
      .compose(request -> request.send())
      .compose(response -> response.body().map(body -> response.statusCode() + " " + body)));
  }
}
