package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.discovery.Discovery;
import dev.shopmesh.platform.discovery.ReplicaCache;
import dev.shopmesh.platform.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Streams that end early, on both sides of a call: many cancelled or reset streams must not cost a
 * {@link MeshClient} its connection ({@link ClientResetLimits}), and a streaming handler must learn
 * that its caller cancelled ({@link CallerGone}).
 */
@ExtendWith(VertxExtension.class)
class CancelledStreamsTest {

  static final ServiceName FLOOD = ServiceName.create("test.Flood");
  /** Asks with a HealthCheckRequest, answers a stream of them: any message type does. */
  static final ServiceMethod<HealthCheckRequest, HealthCheckRequest> SERVED = ServiceMethod.server(FLOOD, "Stream",
    GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(HealthCheckRequest.newBuilder()));
  static final ServiceMethod<HealthCheckRequest, HealthCheckRequest> CALLED = ServiceMethod.client(FLOOD, "Stream",
    GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(HealthCheckRequest.newBuilder()));
  static final HealthCheckRequest ASK = HealthCheckRequest.getDefaultInstance();
  static final HealthCheckRequest ITEM = HealthCheckRequest.newBuilder().setService("item").build();

  Vertx vertx;
  Discovery discovery;
  ReplicaCache replicas;
  MeshClient client;
  final AtomicInteger connections = new AtomicInteger();

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    discovery = new Discovery(vertx, Config.of(Map.of()));
    replicas = new ReplicaCache(vertx, discovery, 1_000);
    client = new MeshClient(vertx, new RpcSettings(5_000, 64 * 1024, 1_000), LbSettings.from(Config.of(Map.of())), replicas);
  }

  /** A bare gRPC server on loopback, registered as {@code flood-service}, counting the connections made to it. */
  void serve(Handler<GrpcServerRequest<HealthCheckRequest, HealthCheckRequest>> handler) {
    serve(GrpcServer.server(vertx).callHandler(SERVED, handler), new HttpServerOptions());
  }

  void serve(GrpcServer grpc, HttpServerOptions options) {
    HttpServer http = Await.result(vertx.createHttpServer(options.setHost("127.0.0.1").setPort(0))
      .connectionHandler(connection -> connections.incrementAndGet())
      .requestHandler(grpc)
      .listen());
    Await.result(discovery.register("flood-service", "127.0.0.1", http.actualPort(), JsonObject::new, JsonObject::new).compose(id -> replicas.refresh()));
  }

  /**
   * A call, cancelled by {@code onFirst} or not; completes with how it ended: "end", "cancelled by
   * us", or the failure.
   */
  Future<String> call(Handler<GrpcClientRequest<HealthCheckRequest, HealthCheckRequest>> onFirst) {
    Promise<String> ended = Promise.promise();
    client.<HealthCheckRequest, HealthCheckRequest>stream("flood-service", CALLED).onComplete(req -> {
      req.end(ASK);
      req.response().onComplete(resp -> {
        resp.handler(first -> {
          onFirst.handle(req);
          ended.tryComplete("cancelled by us");
        });
        resp.endHandler(v -> ended.tryComplete("end"));
        resp.exceptionHandler(err -> ended.tryComplete(err.toString()));
      }, err -> ended.tryComplete(err.toString()));
    }, err -> ended.tryComplete(err.toString()));
    return ended.future();
  }

  /**
   * Streams a caller keeps open (a client tracking orders, relayed by the gateway) as many as a
   * connection may carry: a unary call to the same replica still goes through, on a connection of
   * its own, rather than wait for one of them to end.
   */
  @Test
  void streamsHeldOpenDoNotKeepUnaryCallsWaiting() {
    ServiceMethod<HealthCheckRequest, HealthCheckRequest> unary = ServiceMethod.server(FLOOD, "Unary",
      GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(HealthCheckRequest.newBuilder()));
    serve(GrpcServer.server(vertx)
        .callHandler(SERVED, req -> req.handler(ask -> req.response().write(ITEM)))
        .callHandler(unary, req -> req.handler(ask -> req.response().end(ITEM))),
      new HttpServerOptions().setInitialSettings(new Http2Settings().setMaxConcurrentStreams(4)));
    for (int i = 0; i < 4; i++) {
      // Each ends here once its first item came; the stream itself stays open.
      assertThat(Await.result(call(req -> { }))).isEqualTo("cancelled by us");
    }
    HealthCheckRequest answer = Await.result(client.unary("flood-service", ServiceMethod.client(FLOOD, "Unary",
      GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(HealthCheckRequest.newBuilder())), ASK));
    assertThat(answer.getService()).isEqualTo("item");
  }

  @Test
  void aServerThatResetsManyCallsDoesNotCostTheCallerItsConnection() {
    // 250 RST_STREAM frames received, where Vert.x 5.0.7's client closed its connection after 200,
    // failing the calls still on it.
    serve(req -> req.handler(ask -> req.response().cancel()));
    List<String> outcomes = new ArrayList<>();
    for (int batch = 0; batch < 5; batch++) {
      List<Future<String>> calls = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        calls.add(call(req -> { }));
      }
      calls.forEach(c -> outcomes.add(Await.result(c)));
    }
    assertThat(outcomes).hasSize(250).allMatch(o -> o.contains("CANCELLED"), "the server's CANCELLED");
  }

  @Test
  void aStreamingHandlerLearnsThatItsCallerCancelled() {
    Promise<Void> handlerTold = Promise.promise();
    serve(req -> req.handler(ask -> {
      CallerGone.watch(req.response(), handlerTold::complete);
      req.response().write(ITEM);
    }));
    call(GrpcClientRequest::cancel);
    Await.result(handlerTold.future());
  }

  /** A call refused before its handler began watching (a bad grpc-timeout, say) is gone at once. */
  @Test
  void aHandlerWatchingACallAlreadyAnsweredLearnsAtOnce() {
    Promise<Void> handlerTold = Promise.promise();
    serve(req -> {
      req.response().end();
      CallerGone.watch(req.response(), handlerTold::complete);
    });
    call(r -> { });
    Await.result(handlerTold.future());
  }
}
