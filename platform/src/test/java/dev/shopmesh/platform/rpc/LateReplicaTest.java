package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.discovery.Discovery;
import dev.shopmesh.platform.discovery.ReplicaCache;
import dev.shopmesh.platform.lb.HealthProbe;
import dev.shopmesh.platform.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.health.v1.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A call that finds no replica in its client's view reads the registry again before its retry: a
 * replica registered by another process since the view's last read is in it only from the next
 * periodic read, and a fresh order-service replica failed orders "no replica of payment-service is
 * registered" while payment-service served (MultiProcessMeshTest, about one run in six).
 */
class LateReplicaTest {

  @TempDir
  Path data;
  final Vertx caller = Vertx.vertx();
  final Vertx callee = Vertx.vertx();

  @AfterEach
  void close() {
    Await.result(caller.close());
    Await.result(callee.close());
  }

  /** A Discovery on the shared registry directory, as a process of its own would have. */
  Discovery discovery(Vertx vertx) {
    return new Discovery(vertx, Config.of(Map.of("SHOPMESH_DISCOVERY", "dir", "SHOPMESH_DATA_DIR", data.toString())));
  }

  @Test
  void aReplicaRegisteredSinceTheViewWasReadTakesTheCall() {
    // A view read only at start and on announcements from its own process, none of which come.
    ReplicaCache view = new ReplicaCache(caller, discovery(caller), 3_600_000);
    Await.result(view.start());
    MeshServer server = Await.result(MeshServer.start(callee, RpcSettings.from(Config.of(Map.of())), "127.0.0.1", 0, 1, 0, false,
      List.of(), Logger.getLogger("test"), GrpcCallCounts.create()));
    Await.result(discovery(callee).register("late-service", "127.0.0.1", server.port(), JsonObject::new, JsonObject::new));
    assertThat(view.replicas("late-service")).as("the view before the call").isEmpty();

    MeshClient client = new MeshClient(caller, RpcSettings.from(Config.of(Map.of())), LbSettings.from(Config.of(Map.of())), view);
    HealthCheckResponse answer = Await.result(client.unary("late-service", HealthProbe.CHECK, HealthCheckRequest.getDefaultInstance()));
    assertThat(answer.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    Await.result(client.close());
  }
}
