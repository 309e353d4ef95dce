package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.discovery.Discovery;
import dev.shopmesh.platform.discovery.ReplicaCache;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.LogCapture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.health.v1.HealthCheckResponse;
import io.vertx.grpc.server.StatusException;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.logging.Level;
import java.util.logging.Logger;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gRPC limits Vert.x leaves open by default, each set by {@link RpcSettings} and checked here
 * against real servers on loopback: default deadline, deadline propagation, message size, and
 * concurrent streams per connection.
 */
@ExtendWith(VertxExtension.class)
class RpcLimitsTest {

  static final ServiceMethod<HealthCheckResponse, HealthCheckRequest> CHECK = ServiceMethod.client(
    ServiceName.create("grpc.health.v1.Health"), "Check", GrpcMessageEncoder.encoder(),
    GrpcMessageDecoder.decoder(HealthCheckResponse.newBuilder()));

  static final ServiceMethod<HealthCheckResponse, HealthCheckRequest> WATCH = ServiceMethod.client(
    ServiceName.create("grpc.health.v1.Health"), "Watch", GrpcMessageEncoder.encoder(),
    GrpcMessageDecoder.decoder(HealthCheckResponse.newBuilder()));

  static final RpcSettings SETTINGS = new RpcSettings(500, 64 * 1024, 7);

  Vertx vertx;
  Discovery discovery;
  ReplicaCache replicas;
  MeshClient client;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    discovery = new Discovery(vertx, Config.of(Map.of()));
    replicas = new ReplicaCache(vertx, discovery, 1_000);
    client = new MeshClient(vertx, SETTINGS, LbSettings.from(Config.of(Map.of())), replicas);
  }

  MeshServer serve(String name) {
    MeshServer server = Await.result(MeshServer.start(vertx, SETTINGS, "127.0.0.1", 0, 1, 0, false, List.of(), Logger.getLogger("test"), GrpcCallCounts.create()));
    Await.result(discovery.register(name, "127.0.0.1", server.port(), JsonObject::new, JsonObject::new).compose(id -> replicas.refresh()));
    return server;
  }

  static HealthCheckRequest check(String service) {
    return HealthCheckRequest.newBuilder().setService(service).build();
  }

  @Test
  void aCallToAHungServerEndsAtTheDefaultDeadline() {
    MeshServer hung = serve("hung-service");
    hung.health().register("hang", () -> Promise.<Boolean>promise().future());
    long start = System.nanoTime();
    Throwable err = Await.failure(client.unary("hung-service", CHECK, check("hang")));
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(Rpc.statusOf(err)).isEqualTo(GrpcStatus.DEADLINE_EXCEEDED);
    assertThat(tookMs).isBetween(400L, 10_000L);
  }

  @Test
  void aListReadToItsEndStopsAtTheDefaultDeadlineWhenTheServerNeverEndsIt() {
    // Watch sends the current status, then keeps the stream open: to a list reader, a stalled replica.
    serve("stalled-service");
    long start = System.nanoTime();
    Throwable err = Await.failure(Reads.list(client, "stalled-service", WATCH, check("")));
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(Rpc.statusOf(err)).isEqualTo(GrpcStatus.DEADLINE_EXCEEDED);
    assertThat(tookMs).isBetween(400L, 10_000L);
  }

  @Test
  void aListWhoseServerFailsAfterSomeItemsFailsWithItsStatusAndMessage() {
    byte[] item = HealthCheckResponse.newBuilder().setStatus(HealthCheckResponse.ServingStatus.SERVING).build().toByteArray();
    Buffer frame = Buffer.buffer().appendByte((byte) 0).appendInt(item.length).appendBytes(item);
    HttpServer broken = Await.result(vertx.createHttpServer().requestHandler(req -> {
      req.response().putHeader("content-type", "application/grpc").write(frame.copy());
      req.response().write(frame.copy());
      req.response().putTrailer("grpc-status", "13").putTrailer("grpc-message", "disk%20on%20fire").end();
    }).listen(0, "127.0.0.1"));
    Await.result(discovery.register("broken-service", "127.0.0.1", broken.actualPort(), JsonObject::new, JsonObject::new).compose(id -> replicas.refresh()));
    Throwable err = Await.failure(Reads.list(client, "broken-service", WATCH, check("")));
    assertThat(Rpc.statusOf(err)).isEqualTo(GrpcStatus.INTERNAL);
    assertThat(((StatusException) err).message()).isEqualTo("disk on fire");
    // What ./shopmesh status shows: the stream's failure counted against its replica, as a unary call's is.
    assertThat(client.stats().getJsonObject("broken-service").getJsonObject("127.0.0.1:" + broken.actualPort())
      .getLong("errors")).isEqualTo(1);
  }

  @Test
  void aReplicaThatAcceptsButNeverSpeaksHttp2CostsNoMoreThanTheDeadline() throws IOException {
    try (ServerSocket mute = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      // The kernel completes the TCP handshake; nothing ever answers the HTTP/2 preface.
      Await.result(discovery.register("mute-service", "127.0.0.1", mute.getLocalPort(), JsonObject::new, JsonObject::new).compose(id -> replicas.refresh()));
      long start = System.nanoTime();
      Throwable err = Await.failure(client.unary("mute-service", CHECK, check("")));
      long tookMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(Rpc.statusOf(err)).isEqualTo(GrpcStatus.DEADLINE_EXCEEDED);
      assertThat(tookMs).isBetween(400L, 10_000L);
    }
  }

  /**
   * How long after it started a call that {@code relayClient} makes to a hung service, while
   * serving a caller that allows {@code outsideMillis}, failed.
   */
  long relayedCallFailsAfterMs(MeshClient relayClient, long outsideMillis) {
    MeshServer hung = serve("hung-service");
    hung.health().register("hang", () -> Promise.<Boolean>promise().future());
    MeshServer relay = serve("relay-service");
    Promise<Long> downstreamFailedAfterMs = Promise.promise();
    relay.health().register("relay", () -> {
      long start = System.nanoTime();
      return relayClient.unary("hung-service", CHECK, check("hang"))
        .onFailure(e -> downstreamFailedAfterMs.tryComplete((System.nanoTime() - start) / 1_000_000))
        .map(r -> true);
    });
    GrpcClient caller = GrpcClient.client(vertx);
    caller.request(replicas.replicas("relay-service").get(0).address(), CHECK)
      .compose(req -> req.timeout(outsideMillis, TimeUnit.MILLISECONDS).end(check("relay")));
    try {
      return Await.result(downstreamFailedAfterMs.future());
    } finally {
      // Held until then: Vert.x 5 closes a client the garbage collector finds unreachable.
      caller.close();
    }
  }

  @Test
  void theCallersDeadlinePropagatesToTheCallsMadeWhileServingIt() {
    // The relay's own default deadline is 20 s: only the caller's 150 ms can end its call sooner.
    MeshClient relayClient = new MeshClient(vertx, new RpcSettings(20_000, SETTINGS.maxMessageBytes(), SETTINGS.maxConcurrentStreams()),
      LbSettings.from(Config.of(Map.of())), replicas);
    assertThat(relayedCallFailsAfterMs(relayClient, 150)).isLessThan(5_000L);
  }

  @Test
  void aCallersDeadlineLongerThanTheDefaultIsCappedAtIt() {
    // The caller allows 60 s; the relay's calls may take its default, 500 ms.
    assertThat(relayedCallFailsAfterMs(client, 60_000)).isBetween(400L, 10_000L);
  }

  /**
   * Vert.x fails the opening of a call whose inherited deadline has run out meanwhile with an
   * UnsupportedOperationException: as INTERNAL, callers' 2 ms deadlines opened circuits.
   */
  @Test
  void aCallOpenedOnceTheCallersDeadlineHasPassedIsDeadlineExceeded() {
    serve("watched-service");
    MeshServer relay = serve("relay-service");
    Promise<Throwable> opening = Promise.promise();
    relay.health().register("relay", () -> vertx.timer(200).compose(v -> client.stream("watched-service", WATCH))
      .onComplete(ar -> opening.tryComplete(ar.cause())).map(r -> true));
    GrpcClient caller = GrpcClient.client(vertx);
    caller.request(replicas.replicas("relay-service").get(0).address(), CHECK)
      .compose(req -> req.timeout(50, TimeUnit.MILLISECONDS).end(check("relay")));
    Throwable err = Await.result(opening.future());
    caller.close();
    assertThat(err).as("the stream opened past its deadline").isNotNull();
    assertThat(Rpc.statusOf(err)).isEqualTo(GrpcStatus.DEADLINE_EXCEEDED);
  }

  /**
   * Calls that run out of time while waiting for one of a replica's streams give it back. Each
   * such call that got its stream once it had given up kept it, unused, for good: after a burst of
   * orders with short deadlines, the gateway's connection to order-service had no stream left, and
   * every order failed "no connection to order-service within the deadline" until a restart.
   */
  @Test
  void callsThatTimeOutWaitingForAStreamGiveItBack() {
    MeshServer server = serve("busy-service");
    server.health().register("hang", () -> Promise.<Boolean>promise().future());
    MeshClient patient = new MeshClient(vertx, SETTINGS,
      LbSettings.from(Config.of(Map.of("SHOPMESH_CIRCUIT_FAILURES", "1000000"))), replicas);
    for (int round = 0; round < 3; round++) {
      // Five times the replica's 7 streams: most calls wait for one until their deadline.
      List<Future<HealthCheckResponse>> calls = IntStream.range(0, 5 * (int) SETTINGS.maxConcurrentStreams())
        .mapToObj(i -> patient.unary("busy-service", CHECK, check("hang"))).toList();
      Await.result(Future.join(calls).otherwiseEmpty());
      assertThat(calls).allMatch(call -> Rpc.statusOf(call.cause()) == GrpcStatus.DEADLINE_EXCEEDED);
    }
    assertThat(Await.result(patient.unary("busy-service", CHECK, check(""))).getStatus())
      .as("a call after three bursts").isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
  }

  /** Every stream a client may open to {@code service}: 7 on each of its stream connections. */
  static int allStreams() {
    return (int) SETTINGS.maxConcurrentStreams() * MeshClient.STREAM_CONNECTIONS;
  }

  /**
   * Streams cancelled before their first message (a TrackOrders caller gone before it sent one)
   * give their streams back: each kept one, and about 8,000 left the gateway no stream to open a
   * WatchOrder or TrackOrders with, until a restart.
   */
  @Test
  void streamsCancelledBeforeTheirFirstMessageGiveTheirStreamsBack() {
    serve("watched-service");
    for (int i = 0; i < 2 * allStreams(); i++) {
      MeshGrpcClient.cancel(Await.result(client.stream("watched-service", WATCH)));
    }
    GrpcClientRequest<HealthCheckRequest, HealthCheckResponse> after = Await.result(client.stream("watched-service", WATCH));
    Await.result(after.end(check("")).compose(v -> after.response()));
    MeshGrpcClient.cancel(after);
  }

  /** A list waits for a stream no longer than its deadline: one waited for good while watches held every stream. */
  @Test
  void aListWaitsForAStreamNoLongerThanItsDeadline() {
    serve("watched-service");
    for (int i = 0; i < allStreams(); i++) {
      GrpcClientRequest<HealthCheckRequest, HealthCheckResponse> watch = Await.result(client.stream("watched-service", WATCH));
      Await.result(watch.end(check("")));
    }
    long start = System.nanoTime();
    Throwable err = Await.failure(Reads.list(client, "watched-service", WATCH, check(""), 300));
    assertThat(Rpc.statusOf(err)).isEqualTo(GrpcStatus.DEADLINE_EXCEEDED);
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3_000L);
  }

  /** Else any client could open a healthy service's circuit for every other caller with 1 ms deadlines. */
  @Test
  void onlyTimeoutsOfCallsGivenTimeToAnswerCountTowardsTheCircuit() {
    MeshServer slow = serve("slow-service");
    slow.health().register("hang", () -> Promise.<Boolean>promise().future());
    MeshClient counted = new MeshClient(vertx, SETTINGS, LbSettings.from(Config.of(Map.of("SHOPMESH_CIRCUIT_FAILURES", "3"))), replicas);
    MeshServer relay = serve("relay-service");
    relay.health().register("relay", () -> counted.unary("slow-service", CHECK, check("hang")).map(r -> true));
    GrpcClient outside = GrpcClient.client(vertx);
    SocketAddress relayAddress = replicas.replicas("relay-service").get(0).address();
    for (int i = 0; i < 6; i++) {
      Await.failure(outside.request(relayAddress, CHECK)
        .compose(req -> req.timeout(50, TimeUnit.MILLISECONDS).end(check("relay")).compose(v -> req.response()))
        .compose(resp -> resp.last()));
    }
    assertThat(Await.result(counted.unary("slow-service", CHECK, check(""))).getStatus())
      .as("after six timeouts of calls given 50 ms").isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    try (LogCapture circuitLog = new LogCapture("shopmesh.circuit", Level.INFO)) {
      for (int i = 0; i < 3; i++) {
        assertThat(Rpc.statusOf(Await.failure(counted.unary("slow-service", CHECK, check("hang"))))).isEqualTo(GrpcStatus.DEADLINE_EXCEEDED);
      }
      assertThat(Rpc.toStatus(Await.failure(counted.unary("slow-service", CHECK, check("")))).message()).as("after three timeouts of calls given the default 500 ms").contains("circuit is open");
      assertThat(circuitLog.messagesContaining("circuit to slow-service")).as("said once, when it opened").singleElement().asString()
        .startsWith("circuit to slow-service opened: 3 calls in a row failed within 10 s");
    }
  }

  /**
   * A status the service answered, UNAVAILABLE about a dependency of its own included, is no fault
   * of the service: counted, a dead payment-service would open the gateway's circuit to a healthy
   * order-service, whose every order then failed fast.
   */
  @Test
  void statusesAServiceAnsweredDoNotOpenItsCircuit() {
    MeshServer answering = serve("answering-service");
    answering.health().register("its-dependency", () -> Future.failedFuture(new IllegalStateException("a dependency is down")));
    MeshClient counted = new MeshClient(vertx, SETTINGS, LbSettings.from(Config.of(Map.of("SHOPMESH_CIRCUIT_FAILURES", "3"))), replicas);
    for (int i = 0; i < 6; i++) {
      assertThat(Rpc.statusOf(Await.failure(counted.unary("answering-service", CHECK, check("its-dependency")))))
        .isEqualTo(GrpcStatus.UNAVAILABLE);
    }
    assertThat(Await.result(counted.unary("answering-service", CHECK, check(""))).getStatus())
      .as("after six answers of UNAVAILABLE").isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
  }

  /**
   * A circuit opened by timeouts of a service that stayed healthy closes once its reset time is over
   * and a health check passes, so the next burst goes through. Half open, Vert.x let one trial call
   * through and failed all the others: the first burst after a quiet spell lost 199 of 200 orders.
   */
  @Test
  void aCircuitToAHealthyServiceClosesAfterItsResetTimeSoTheNextBurstGoesThrough() {
    MeshServer slow = serve("slow-service");
    slow.health().register("hang", () -> Promise.<Boolean>promise().future());
    MeshClient counted = new MeshClient(vertx, SETTINGS, LbSettings.from(Config.of(Map.of("SHOPMESH_CIRCUIT_FAILURES", "3",
      "SHOPMESH_CIRCUIT_RESET_MS", "1000", "SHOPMESH_HEALTH_PROBE_MS", "200"))), replicas);
    try (LogCapture circuitLog = new LogCapture("shopmesh.circuit", Level.INFO)) {
      for (int i = 0; i < 3; i++) {
        Await.failure(counted.unary("slow-service", CHECK, check("hang")));
      }
      assertThat(Rpc.toStatus(Await.failure(counted.unary("slow-service", CHECK, check("")))).message()).contains("circuit is open");
      Await.until("a health check closes the circuit", java.time.Duration.ofSeconds(10),
        () -> !circuitLog.messagesContaining("circuit to slow-service closed: a health check").isEmpty());
    }
    List<Future<HealthCheckResponse>> burst = IntStream.range(0, 20).mapToObj(i -> counted.unary("slow-service", CHECK, check(""))).toList();
    Await.result(Future.join(burst).otherwiseEmpty());
    assertThat(burst).as("the burst after the reset time").allMatch(Future::succeeded);
  }

  @Test
  void aMessageOverTheLimitIsRefusedWithResourceExhausted() {
    serve("big-service");
    Throwable err = Await.failure(client.unary("big-service", CHECK, check("x".repeat(100 * 1024))));
    assertThat(Rpc.statusOf(err)).isIn(GrpcStatus.RESOURCE_EXHAUSTED, GrpcStatus.CANCELLED, GrpcStatus.UNAVAILABLE);
    assertThat(Await.result(client.unary("big-service", CHECK, check("")))).isNotNull();
  }

  @Test
  void serversAdvertiseTheirConcurrentStreamLimit() {
    MeshServer server = serve("streams-service");
    HttpClientAgent http = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
      .setHttp2ClearTextUpgrade(false));
    HttpClientConnection conn = Await.result(http.connect(new HttpConnectOptions().setHost("127.0.0.1").setPort(server.port())));
    Await.until("settings received", java.time.Duration.ofSeconds(5),
      () -> conn.remoteSettings().getMaxConcurrentStreams() == SETTINGS.maxConcurrentStreams());
  }

  @Test
  void callsCancelledByTheirCallerDoNotCostTheOthersTheirConnection() {
    // A public port: more resets than Vert.x's default rapid-reset defence (200 per 30 s) allows.
    assertCancellingKeepsTheConnection(true, 1_000, 1, 300);
  }

  /** A public port with a small stream limit still takes a caller's cancels: it took four (twice its streams). */
  @Test
  void aPublicPortWithFewStreamsTakesAsManyCancelsAsVertxWould() {
    assertCancellingKeepsTheConnection(true, 2, 100, 1);
  }

  @Test
  void aPortOnlyTheMeshReachesTakesAnyNumberOfCancels() {
    // More than a public port's 2,000 per 30 s: one mesh caller carries all its own callers' cancels.
    assertCancellingKeepsTheConnection(false, 1_000, 5, 500);
  }

  /** {@code rounds} times, {@code calls} hanging calls sent on one connection and cancelled at once; {@code streams} the server's stream limit. */
  private void assertCancellingKeepsTheConnection(boolean reachedFromOutside, int streams, int rounds, int calls) {
    MeshServer server = Await.result(MeshServer.start(vertx, new RpcSettings(5_000, 64 * 1024, streams), "127.0.0.1", 0, 1, 0,
      reachedFromOutside, List.of(), Logger.getLogger("test"), GrpcCallCounts.create()));
    server.health().register("hang", () -> Promise.<Boolean>promise().future());
    GrpcClient grpc = GrpcClient.client(vertx);
    SocketAddress address = SocketAddress.inetSocketAddress(server.port(), "127.0.0.1");
    Future<HealthCheckResponse> bystander = grpc.request(address, CHECK)
      .compose(req -> req.send(check("hang"))).compose(resp -> resp.last());
    for (int round = 0; round < rounds; round++) {
      List<GrpcClientRequest<HealthCheckRequest, HealthCheckResponse>> sent = Await.result(Future.all(IntStream.range(0, calls)
        .mapToObj(i -> grpc.request(address, CHECK).compose(req -> req.end(check("hang")).map(req))).toList())).list();
      sent.forEach(GrpcClientRequest::cancel);
    }
    HealthCheckResponse after = Await.result(grpc.request(address, CHECK).compose(req -> req.send(check(""))).compose(resp -> resp.last()));
    assertThat(after.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    assertThat(bystander.isComplete()).as("the call in flight on the same connection is still waiting").isFalse();
  }

  @Test
  void aServiceWithNoReplicaIsUnavailableNamingIt() {
    Throwable err = Await.failure(client.unary("nobody-service", CHECK, check("")));
    assertThat(Rpc.statusOf(err)).isEqualTo(GrpcStatus.UNAVAILABLE);
  }

  @Test
  void theServerAnswersAStatusWithItsMessage() {
    serve("health-service");
    Throwable err = Await.failure(client.unary("health-service", CHECK, check("unknown.Service")));
    assertThat(err).isInstanceOf(StatusException.class);
    assertThat(((StatusException) err).status()).isEqualTo(GrpcStatus.NOT_FOUND);
  }
}
