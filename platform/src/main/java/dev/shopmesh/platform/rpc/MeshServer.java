package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.lb.HealthProbe;
import dev.shopmesh.platform.metrics.ServedCalls;
import dev.shopmesh.platform.trace.Trace;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.health.HealthService;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpc.server.Service;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * A gRPC server on its own port: the given services plus {@code grpc.health.v1.Health} and server
 * reflection, with the limits of {@link RpcSettings} (compressed messages included, and each bad
 * message answered with what is wrong with it: {@link InboundMessages}; gRPC-Web's text mode too:
 * {@link WebTextCalls}), each one-message answer sent in one write ({@link UnaryAnswers}). Deadlines are enforced (a call past its deadline is cancelled) and
 * propagated to the calls the handler makes.
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
    HttpServerOptions options = new HttpServerOptions()
      .setHost(host)
      .setPort(port)
      .setInitialSettings(new Http2Settings().setMaxConcurrentStreams(settings.maxConcurrentStreams()))
      // Vert.x closes a connection whose client resets more than 200 streams in 30 s (the HTTP/2
      // rapid-reset defence), failing every other call on it. A caller whose own caller went away,
      // or whose deadline passed, resets its calls by design, up to all its streams at once: a
      // public port allows twice the streams a connection may have open, which still stops a reset
      // flood. A port only the mesh reaches has no limit (0): one caller's connection carries the
      // cancels of all that caller's own callers, and of every call its deadlines end.
      .setHttp2RstFloodMaxRstFramePerWindow(reachedFromOutside ? settings.resetsPerWindow() : 0);
    Handler<HttpServerRequest> calls = UnaryAnswers.of(grpc, served);
    Handler<HttpServerRequest> webTextCalls = new WebTextCalls(calls, settings.maxMessageBytes(), log);
    Handler<HttpServerRequest> grpcOnly = request -> {
      String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
      if (type != null && type.startsWith("application/grpc") && !type.startsWith("application/grpc-web")
        && request.version() != HttpVersion.HTTP_2) {
        // Vert.x answered an empty 415.
        request.response().setStatusCode(415).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
          .end("gRPC needs HTTP/2 (this came over " + request.version().alpnName() + "); with curl, add --http2-prior-knowledge\n");
      } else if (type != null && type.startsWith("application/grpc") && !SERVED_TYPES.contains(type)) {
        // application/grpc+xml, or with parameters: Vert.x answered an empty 415.
        request.response().setStatusCode(415).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
          .end("content-type " + type + " is not served here: send application/grpc (or application/grpc+proto,"
            + " application/grpc+json for JSON messages), or gRPC-Web's application/grpc-web\n");
      } else if (type != null && type.startsWith("application/grpc") && request.method() != HttpMethod.POST) {
        // gRPC is POST only (its HTTP/2 protocol); Vert.x served a GET or PUT as a call.
        request.response().setStatusCode(405).putHeader(HttpHeaders.ALLOW, "POST")
          .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8").end("gRPC calls are POST requests, not " + request.method().name() + "\n");
      } else if (type != null && type.startsWith("application/grpc")) {
        Trace.enter(request);
        GrpcCallCounts.count(request, type, methods, answered);
        InboundMessages.nameEncoding(request);
        // A method not served is answered UNIMPLEMENTED by vertx-grpc, before the body is read.
        (WebTextCalls.isText(type) && methods.served(request.path()) ? webTextCalls : calls).handle(request);
      } else {
        // Vert.x answers a JSON or form request here 500 with no body, a browser's GET 415 with none.
        request.response().setStatusCode(415).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8").end(NOT_GRPC);
      }
    };
    return EventLoopServers.listen(vertx, options, grpcOnly, eventLoops, graceMillis).map(http -> new MeshServer(http, health));
  }

  /**
   * The content types vertx-grpc 5.0.7 serves, exactly as it matches them (no parameters); a set, not
   * a pattern, since every call is checked (a regular expression was 1 % of the gateway's SayHello).
   */
  private static final Set<String> SERVED_TYPES = Set.of("application/grpc", "application/grpc+proto", "application/grpc+json",
    "application/grpc-web", "application/grpc-web+proto", "application/grpc-web+json",
    "application/grpc-web-text", "application/grpc-web-text+proto", "application/grpc-web-text+json");

  /** How often a Watch on {@code grpc.health.v1.Health} looks again: as often as callers probe by default. */
  static final long HEALTH_WATCH_MILLIS = 1_000;

  /** What a request that is not gRPC (curl, a browser) is told. */
  static final String NOT_GRPC = "This port speaks gRPC (content-type application/grpc); the HTTP/JSON API and the shop page"
    + " are on the gateway's HTTP port (8080 by default; SHOPMESH_HTTP_PORT or --http-port sets it, SHOPMESH_HTTP_PUBLISH"
    + " in docker compose).\n";

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
