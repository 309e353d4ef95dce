package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.discovery.Discovery;
import dev.shopmesh.platform.discovery.ReplicaCache;
import dev.shopmesh.platform.lb.HealthProbe;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.trace.Trace;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.health.v1.HealthCheckResponse;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The calls a service makes while serving a request carry that request's trace on, those of a
 * compensation (run on a context of its own, {@link MeshClient#detached}) included.
 */
@ExtendWith(VertxExtension.class)
class TracedCallsTest {

  static final String SERVICE = "trace-test";
  static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  @Test
  void aCallAndACompensationMadeWhileServingCarryTheRequestsTrace(Vertx vertx) {
    // The called service: notes the trace headers of each call, answers SERVING.
    List<String> received = new CopyOnWriteArrayList<>();
    GrpcServer called = GrpcServer.server(vertx).callHandler(call -> {
      received.add(call.headers().get(Trace.PARENT) + " " + call.headers().get(Trace.STATE));
      call.handler(message -> { }).endHandler(v -> call.response().end(Buffer.buffer(
        HealthCheckResponse.newBuilder().setStatus(HealthCheckResponse.ServingStatus.SERVING).build().toByteArray())));
    });
    HttpServer calledServer = Await.result(vertx.createHttpServer().requestHandler(called).listen(0, "127.0.0.1"));
    Discovery discovery = new Discovery(vertx, Config.of(Map.of()));
    ReplicaCache replicas = new ReplicaCache(vertx, discovery, 200);
    Await.result(replicas.start());
    Await.result(discovery.register(SERVICE, "127.0.0.1", calledServer.actualPort(), JsonObject::new, JsonObject::new));
    Await.result(replicas.refresh());
    MeshClient client = new MeshClient(vertx, RpcSettings.from(Config.of(Map.of())), LbSettings.from(Config.of(Map.of())), replicas);

    // The serving service: one call, then one compensation, for each request.
    HttpServer serving = Await.result(vertx.createHttpServer().requestHandler(request -> {
      Trace.enter(request);
      client.idempotent(SERVICE, HealthProbe.CHECK, HealthCheckRequest.getDefaultInstance())
        .compose(v -> client.detached(SERVICE, HealthProbe.CHECK, HealthCheckRequest.getDefaultInstance()))
        .onComplete(done -> request.response().end(String.valueOf(done.succeeded())));
    }).listen(0, "127.0.0.1"));

    String body = Await.result(vertx.createHttpClient()
      .request(HttpMethod.GET, serving.actualPort(), "127.0.0.1", "/")
      .compose(request -> request.putHeader(Trace.PARENT, "00-" + TRACE + "-00f067aa0ba902b7-01").putHeader(Trace.STATE, "vendor=x")
        .send().compose(HttpClientResponse::body))
      .map(Buffer::toString));

    assertThat(body).isEqualTo("true");
    // Both under the trace, with the serving service's span (not the caller's) as their parent.
    assertThat(received).hasSize(2).allSatisfy(headers -> assertThat(headers)
      .matches("00-" + TRACE + "-[0-9a-f]{16}-01 vendor=x").doesNotContain("00f067aa0ba902b7"));
    assertThat(received.get(0)).isEqualTo(received.get(1));
    Await.result(client.close().compose(v -> Future.join(serving.close(), calledServer.close())));
  }
}
