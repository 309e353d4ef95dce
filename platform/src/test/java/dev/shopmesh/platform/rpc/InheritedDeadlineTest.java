package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.discovery.Discovery;
import dev.shopmesh.platform.discovery.ReplicaCache;
import dev.shopmesh.platform.lb.HealthProbe;
import dev.shopmesh.platform.testing.Await;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.context.storage.AccessMode;
import io.vertx.grpc.common.GrpcLocal;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.health.v1.HealthCheckResponse;
import io.vertx.grpc.server.StatusException;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** A call made while serving a request inherits what is left of that request's deadline. */
@ExtendWith(VertxExtension.class)
class InheritedDeadlineTest {

  static final String SERVICE = "deadline-test";

  @Test
  void aCallWhoseCallersDeadlineHadPassedFailsAtOnceSayingSo(Vertx vertx) {
    Discovery discovery = new Discovery(vertx, Config.of(Map.of()));
    ReplicaCache replicas = new ReplicaCache(vertx, discovery, 200);
    Await.result(replicas.start());
    MeshServer server = Await.result(MeshServer.start(vertx, RpcSettings.from(Config.of(Map.of())), "127.0.0.1", 0, 1, 0,
      false, List.of(), Logger.getLogger("test"), GrpcCallCounts.create()));
    Await.result(discovery.register(SERVICE, "127.0.0.1", server.port(), JsonObject::new, JsonObject::new));
    Await.result(replicas.refresh());
    MeshClient client = new MeshClient(vertx, RpcSettings.from(Config.of(Map.of())), LbSettings.from(Config.of(Map.of())), replicas);

    // As vertx-grpc leaves it on the context of a request it serves (deadline propagation).
    ContextInternal serving = ((ContextInternal) vertx.getOrCreateContext()).duplicate();
    serving.putLocal(GrpcLocal.CONTEXT_LOCAL_KEY, AccessMode.CONCURRENT, new GrpcLocal(System.currentTimeMillis() - 3));
    Promise<HealthCheckResponse> answer = Promise.promise();
    serving.runOnContext(v -> client.idempotent(SERVICE, HealthProbe.CHECK, HealthCheckRequest.getDefaultInstance()).onComplete(answer));

    StatusException status = Rpc.toStatus(Await.failure(answer.future()));
    assertThat(status.status()).isEqualTo(GrpcStatus.DEADLINE_EXCEEDED);
    assertThat(status.message()).isEqualTo("deadline exceeded before calling " + SERVICE + " (the caller's deadline, already passed)");
    Await.result(client.close());
    Await.result(server.shutdown(0));
  }
}
