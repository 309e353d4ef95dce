package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.discovery.Discovery;
import dev.shopmesh.platform.discovery.ReplicaCache;
import dev.shopmesh.platform.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.health.v1.HealthCheckResponse;
import io.vertx.grpc.server.StatusException;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A callee that gives up on the deadline a call sent it answers DEADLINE_EXCEEDED without a
 * message, as Vert.x's server does. That is the call's own deadline, which the callee's timer
 * reached first: it is said the same way as when the caller's timer does. On a busy machine the
 * callee's often won, and an order stored "payment-service: deadline exceeded" where the same
 * event read "payment-service did not answer within the deadline" otherwise.
 */
@ExtendWith(VertxExtension.class)
class CalleeDeadlineTest {

  static final String SERVICE = "slow-service";
  static final ServiceMethod<HealthCheckResponse, HealthCheckRequest> SLOW = ServiceMethod.client(ServiceName.create("test.Slow"),
    "Work", GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(HealthCheckResponse.newBuilder()));

  MeshClient client;

  @BeforeEach
  void start(Vertx vertx) {
    Discovery discovery = new Discovery(vertx, Config.of(Map.of()));
    ReplicaCache replicas = new ReplicaCache(vertx, discovery, 200);
    Await.result(replicas.start());
    // What Vert.x's server sends once a request's deadline passes: the status alone.
    HttpServer callee = Await.result(vertx.createHttpServer().requestHandler(req -> req.response()
      .putHeader("content-type", "application/grpc").putHeader("grpc-status", "4").end()).listen(0, "127.0.0.1"));
    Await.result(discovery.register(SERVICE, "127.0.0.1", callee.actualPort(), JsonObject::new, JsonObject::new)
      .compose(id -> replicas.refresh()));
    client = new MeshClient(vertx, RpcSettings.from(Config.of(Map.of())), LbSettings.from(Config.of(Map.of())), replicas);
  }

  @AfterEach
  void stop() {
    Await.result(client.close());
  }

  @Test
  void aUnaryCallSaysTheCalleeDidNotAnswerWithinTheDeadline() {
    StatusException said = Rpc.toStatus(Await.failure(client.unary(SERVICE, SLOW, HealthCheckRequest.getDefaultInstance())));
    assertThat(said.status()).isEqualTo(GrpcStatus.DEADLINE_EXCEEDED);
    assertThat(said.message()).isEqualTo(SERVICE + " did not answer within the deadline");
  }

  @Test
  void aReadSaysTheCalleeDidNotAnswerWithinTheDeadline() {
    StatusException said = Rpc.toStatus(Await.failure(Reads.list(client, SERVICE, SLOW, HealthCheckRequest.getDefaultInstance())));
    assertThat(said.status()).isEqualTo(GrpcStatus.DEADLINE_EXCEEDED);
    assertThat(said.message()).isEqualTo(SERVICE + " did not answer within the deadline");
  }
}
