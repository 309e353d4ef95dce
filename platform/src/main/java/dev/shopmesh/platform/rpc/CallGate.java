package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.lb.HealthProbe;
import dev.shopmesh.platform.metrics.ServedCalls;
import dev.shopmesh.platform.trace.Trace;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

import java.util.Set;
import java.util.function.Supplier;

/**
 * What a {@link MeshServer} port does with each request before vertx-grpc reads it: a gRPC call is
 * traced, counted and handed on; anything else is answered with what it should have been. Vert.x
 * answered those with an empty 415, 405 or 500. The common case, a gRPC POST over HTTP/2 with a
 * content type vertx-grpc serves, is decided by its first test; the rest take {@link #refuseOrServe}.
 * A plain {@code GET /ready} (or {@code HEAD}) is answered the replica's readiness, as {@code grpc.health.v1.Health/Check}
 * answers {@link HealthProbe#READY}: a container's health check asks it with a shell alone, where a
 * gRPC client meant starting a JVM every 10 s in every container.
 */
final class CallGate implements Handler<HttpServerRequest> {

  /**
   * The content types vertx-grpc 5.0.7 serves, exactly as it matches them (no parameters); a set, not
   * a pattern, since every call is checked (a regular expression was 1 % of the gateway's SayHello).
   */
  private static final Set<String> SERVED_TYPES = Set.of("application/grpc", "application/grpc+proto", "application/grpc+json",
    "application/grpc-web", "application/grpc-web+proto", "application/grpc-web+json",
    "application/grpc-web-text", "application/grpc-web-text+proto", "application/grpc-web-text+json");

  /** What a request that is not gRPC (curl, a browser) is told. */
  static final String NOT_GRPC = "This port speaks gRPC (content-type application/grpc); the HTTP/JSON API and the shop page"
    + " are on the gateway's HTTP port (8080 by default; SHOPMESH_HTTP_PORT or --http-port sets it, SHOPMESH_HTTP_PUBLISH"
    + " in docker compose). GET /ready here answers whether this replica is ready.\n";

  private static final String PLAIN_TEXT = "text/plain; charset=utf-8";

  /** The path of the plain readiness check; its answer is 200 {@code SERVING} or 503 {@code NOT_SERVING}. */
  static final String READY_PATH = "/ready";

  private final ServedMethods methods;
  private final ServedCalls answered;
  private final Handler<HttpServerRequest> calls;
  private final Handler<HttpServerRequest> webTextCalls;
  private final Supplier<Future<Boolean>> ready;

  /** @param ready whether the replica is ready, as its health service answers {@link HealthProbe#READY} */
  CallGate(ServedMethods methods, ServedCalls answered, Handler<HttpServerRequest> calls, Handler<HttpServerRequest> webTextCalls,
           Supplier<Future<Boolean>> ready) {
    this.methods = methods;
    this.answered = answered;
    this.calls = calls;
    this.webTextCalls = webTextCalls;
    this.ready = ready;
  }

  @Override
  public void handle(HttpServerRequest request) {
    String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
    if (type != null && request.version() == HttpVersion.HTTP_2 && request.method() == HttpMethod.POST && SERVED_TYPES.contains(type)) {
      serve(request, type);
    } else {
      refuseOrServe(request, type);
    }
  }

  private void serve(HttpServerRequest request, String type) {
    Trace.enter(request);
    GrpcCallCounts.count(request, type, methods, answered);
    InboundMessages.nameEncoding(request);
    // A method not served is answered UNIMPLEMENTED by vertx-grpc, before the body is read.
    (WebTextCalls.isText(type) && methods.served(request.path()) ? webTextCalls : calls).handle(request);
  }

  /** Everything but the common case: gRPC-Web over HTTP/1.1 is served, the rest told what is wrong. */
  private void refuseOrServe(HttpServerRequest request, String type) {
    if (type != null && type.startsWith("application/grpc") && !type.startsWith("application/grpc-web")
      && request.version() != HttpVersion.HTTP_2) {
      // Vert.x answered an empty 415.
      request.response().setStatusCode(415).putHeader(HttpHeaders.CONTENT_TYPE, PLAIN_TEXT)
        .end("gRPC needs HTTP/2 (this came over " + request.version().alpnName() + "); with curl, "
          // Over TLS, ALPN agrees on HTTP/2 unless the client asked for HTTP/1.1.
          + (request.isSSL() ? "leave out --http1.1" : "add --http2-prior-knowledge") + "\n");
    } else if (type != null && type.startsWith("application/grpc") && !SERVED_TYPES.contains(type)) {
      // application/grpc+xml, or with parameters: Vert.x answered an empty 415.
      request.response().setStatusCode(415).putHeader(HttpHeaders.CONTENT_TYPE, PLAIN_TEXT)
        .end("content-type " + type + " is not served here: send application/grpc (or application/grpc+proto,"
          + " application/grpc+json for JSON messages), or gRPC-Web's application/grpc-web (application/grpc-web-text for its text mode)\n");
    } else if (type != null && type.startsWith("application/grpc") && request.method() != HttpMethod.POST) {
      // gRPC is POST only (its HTTP/2 protocol); Vert.x served a GET or PUT as a call.
      request.response().setStatusCode(405).putHeader(HttpHeaders.ALLOW, "POST")
        .putHeader(HttpHeaders.CONTENT_TYPE, PLAIN_TEXT).end("gRPC calls are POST requests, not " + request.method().name() + "\n");
    } else if (type != null && type.startsWith("application/grpc")) {
      serve(request, type);
    } else if ((request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD) && READY_PATH.equals(request.path())) {
      // HEAD too: curl -I is how many check a URL; Vert.x sends a HEAD's answer without its body.
      ready.get().otherwise(false).onComplete(serving -> request.response().setStatusCode(serving.result() ? 200 : 503)
        .putHeader(HttpHeaders.CONTENT_TYPE, PLAIN_TEXT).end(serving.result() ? "SERVING\n" : "NOT_SERVING\n"));
    } else {
      // Vert.x answers a JSON or form request here 500 with no body, a browser's GET 415 with none.
      request.response().setStatusCode(415).putHeader(HttpHeaders.CONTENT_TYPE, PLAIN_TEXT).end(NOT_GRPC);
    }
  }
}
