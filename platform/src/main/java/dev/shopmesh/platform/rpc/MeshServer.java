package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.lb.HealthProbe;
import dev.shopmesh.platform.metrics.ServedCalls;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.health.HealthService;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpc.server.Service;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * A gRPC server on its own port: the given services plus {@code grpc.health.v1.Health} and server
 * reflection, with the limits of {@link RpcSettings} (compressed messages included, and each bad
 * message answered with what is wrong with it: {@link InboundMessages}; gRPC-Web's text mode too:
 * {@link WebTextCalls}), each one-message answer sent in one write ({@link UnaryAnswers}), and a
 * request that is not a gRPC call told what it should have been, but for a plain {@code GET /ready},
 * answered the replica's readiness ({@link CallGate}). Deadlines are
 * enforced (a call past its deadline is cancelled) and propagated to the calls the handler makes.
 */
public final class MeshServer {

  private final EventLoopServers http;
  private final HealthService health;

  private MeshServer(EventLoopServers http, HealthService health) {
    this.http = http;
    this.health = health;
  }

  /**
   * @param eventLoops  how many event loops serve calls (see {@link EventLoopServers})
   * @param graceMillis how long calls in flight may finish when the server stops
   * @param reachedFromOutside whether callers from outside the mesh reach this port (the gateway's)
   * @param log where a call refused for its messages is logged ({@link InboundMessages})
   * @param answered where each call answered is counted ({@link GrpcCallCounts})
   */
  public static Future<MeshServer> start(Vertx vertx, RpcSettings settings, String host, int port, int eventLoops, long graceMillis,
                                         boolean reachedFromOutside, List<Service> services, Logger log, ServedCalls answered) {
    return start(vertx, settings, host, port, eventLoops, graceMillis, reachedFromOutside, ServerTls.PLAINTEXT, services, log, answered);
  }

  /** As above, serving TLS with {@code tls} ({@link ServerTls}). */
  public static Future<MeshServer> start(Vertx vertx, RpcSettings settings, String host, int port, int eventLoops, long graceMillis,
                                         boolean reachedFromOutside, ServerTls tls, List<Service> services, Logger log,
                                         ServedCalls answered) {
    GrpcServer grpc = GrpcServer.server(vertx, new GrpcServerOptions()
      .setScheduleDeadlineAutomatically(true)
      .setDeadlinePropagation(true)
      .setMaxMessageSize(settings.maxMessageBytes()));
    HealthService health = HealthService.create(vertx);
    // Ready once listening, unless the service says otherwise (MeshVerticle: its database).
    health.register(HealthProbe.READY, () -> Future.succeededFuture(true));
    List<Service> served = new ArrayList<>(services);
    served.add(HealthAnswers.of(vertx, health, HEALTH_WATCH_MILLIS));
    ServedMethods methods = new ServedMethods();
    served.add(new ServerReflection(methods));
    // Each served service SERVING unless told otherwise (MeshVerticle.relayedTo).
    served.forEach(service -> health.register(service.name(), () -> Future.succeededFuture(true)));
    served.forEach(service -> grpc.addService(methods.noting(InboundMessages.checked(service, settings.maxMessageBytes(), log))));
    HttpServerOptions options = tls.applyTo(new HttpServerOptions())
      .setHost(host)
      .setPort(port)
      .setInitialSettings(new Http2Settings().setMaxConcurrentStreams(settings.maxConcurrentStreams()))
      // Vert.x closes a connection whose client resets more than 200 streams in 30 s (the HTTP/2
      // rapid-reset defence), failing every other call on it. A caller whose own caller went away,
      // or whose deadline passed, resets its calls by design, up to all its streams at once: a
      // public port allows twice the streams a connection may have open, and never fewer than 200
      // (RpcSettings#resetsPerWindow), which still stops a reset flood. A port only the mesh reaches has no limit (0): one caller's connection carries the
      // cancels of all that caller's own callers, and of every call its deadlines end.
      .setHttp2RstFloodMaxRstFramePerWindow(reachedFromOutside ? settings.resetsPerWindow() : 0);
    Handler<HttpServerRequest> calls = UnaryAnswers.of(grpc, served);
    Handler<HttpServerRequest> webTextCalls = new WebTextCalls(calls, settings.maxMessageBytes(), log);
    Handler<HttpServerRequest> grpcOnly = new CallGate(methods, answered, calls, webTextCalls, () -> health.checkStatus(HealthProbe.READY));
    return EventLoopServers.listen(vertx, options, grpcOnly, eventLoops, graceMillis).map(http -> new MeshServer(http, health));
  }

  /** How often a Watch on {@code grpc.health.v1.Health} looks again: as often as callers probe by default. */
  static final long HEALTH_WATCH_MILLIS = 1_000;

  public int port() {
    return http.port();
  }

  public HealthService health() {
    return health;
  }

  /** Stops accepting calls and lets those in flight finish, for at most {@code graceMillis}. */
  public Future<Void> shutdown(long graceMillis) {
    return http.shutdown(graceMillis);
  }
}
