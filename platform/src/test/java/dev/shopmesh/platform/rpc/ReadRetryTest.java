package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.discovery.Discovery;
import dev.shopmesh.platform.discovery.ReplicaCache;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.FreePort;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.shopmesh.platform.rpc.CancelledStreamsTest.ASK;
import static dev.shopmesh.platform.rpc.CancelledStreamsTest.CALLED;
import static dev.shopmesh.platform.rpc.CancelledStreamsTest.ITEM;
import static dev.shopmesh.platform.rpc.CancelledStreamsTest.SERVED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A read ({@link MeshClient#read}) or a stream ({@link MeshClient#stream}) that did not reach a
 * replica goes to another, as a unary call does. A replica that stops refuses connections until its callers' views drop it (up to a refresh
 * period): every {@code GET /api/products} sent to it meanwhile failed 503.
 */
@ExtendWith(VertxExtension.class)
class ReadRetryTest {

  @Test
  void aReadRefusedByAReplicaIsReadFromAnother(Vertx vertx) {
    MeshClient client = oneReplicaOfTwoStopping(vertx);
    List<Future<List<HealthCheckRequest>>> reads = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      reads.add(Reads.list(client, "list-service", CALLED, ASK, 5_000));
    }

    for (Future<List<HealthCheckRequest>> read : reads) {
      assertThat(Await.result(read)).containsExactly(ITEM);
    }
    Await.result(client.close());
  }

  /** The same for a stream kept open ({@link MeshClient#stream}), such as the gateway relays: it opens on the other replica. */
  @Test
  void aStreamRefusedByAReplicaOpensOnAnother(Vertx vertx) {
    MeshClient client = oneReplicaOfTwoStopping(vertx);
    for (int i = 0; i < 4; i++) {
      assertThat(Await.<List<HealthCheckRequest>>onEventLoop(vertx, () -> client.stream("list-service", CALLED)
        .compose(call -> call.send(ASK))
        .compose(response -> response.collect(Collectors.toList())))).containsExactly(ITEM);
    }
    Await.result(client.close());
  }

  /** A client of list-service, two replicas of which are registered: one serving, one no longer listening. */
  private static MeshClient oneReplicaOfTwoStopping(Vertx vertx) {
    GrpcServer grpc = GrpcServer.server(vertx).callHandler(SERVED, request -> request.handler(ask -> request.response().end(ITEM)));
    HttpServer serving = Await.result(vertx.createHttpServer().requestHandler(grpc).listen(0, "127.0.0.1"));
    Discovery discovery = new Discovery(vertx, Config.of(Map.of()));
    ReplicaCache replicas = new ReplicaCache(vertx, discovery, 60_000);
    Await.result(discovery.register("list-service", "127.0.0.1", serving.actualPort(), JsonObject::new, JsonObject::new));
    // Still registered, no longer listening: a replica stopping, as its callers see it for a moment.
    Await.result(discovery.register("list-service", "127.0.0.1", FreePort.forAChild(), JsonObject::new, JsonObject::new));
    Await.result(replicas.refresh());
    return new MeshClient(vertx, RpcSettings.from(Config.of(Map.of())), LbSettings.from(Config.of(Map.of())), replicas);
  }
}
