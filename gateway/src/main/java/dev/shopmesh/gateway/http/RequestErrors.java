package dev.shopmesh.gateway.http;

import dev.shopmesh.platform.error.Failure;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;

import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;

/**
 * Requests the API's routes never see as theirs, answered in its JSON shape and logged: no route
 * for the path or the method, a path or query that does not decode, and requests Vert.x could not
 * read as HTTP at all. Vert.x answered most of these with a bare status, some with an ERROR.
 */
final class RequestErrors {

  private final Router router;
  private final Logger log;

  RequestErrors(Router router, Logger log) {
    this.router = router;
    this.log = log;
  }

  /**
   * A request Vert.x could not read as HTTP, before any route: too long a request line (the path)
   * or too large headers (RESOURCE_EXHAUSTED, as a gRPC caller is told of its limits), else malformed. Answered in the API's JSON shape and logged, where Vert.x
   * answered with an empty body and logged nothing; then the connection is closed, as Vert.x does,
   * since the rest of what it sent cannot be read.
   */
  static void invalidRequest(Logger log, HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int code = cause instanceof TooLongHttpLineException ? 414 : cause instanceof TooLongHttpHeaderException ? 431 : 400;
    String message = switch (code) {
      case 414 -> "the request line (method, path and query) is over " + HttpServerOptions.DEFAULT_MAX_INITIAL_LINE_LENGTH + " bytes";
      case 431 -> "the request's headers are over " + HttpServerOptions.DEFAULT_MAX_HEADER_SIZE + " bytes";
      default -> "the request is not valid HTTP/1.1" + (cause == null ? "" : ": " + cause.getMessage());
    };
    log.info("HTTP request refused before routing -> " + code + ": " + message);
    request.response().setStatusCode(code).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
      .end(new JsonObject().put("error", (code == 400 ? GrpcStatus.INVALID_ARGUMENT : GrpcStatus.RESOURCE_EXHAUSTED).name())
        .put("message", message).encode())
      .onComplete(done -> request.connection().close());
  }

  /**
   * A client error Vert.x Web chose the code of, in the API's JSON shape and with that code: no
   * route for the path or the method, a path it could not decode, a body over the limit or one it
   * could not decode. A 405 says which methods the path has ({@code Allow}, as RFC 9110 asks).
   */
  void routing(RoutingContext ctx, int code) {
    String request = ctx.request().method() + " " + ctx.request().path();
    if (code == 405) {
      ctx.response().putHeader(HttpHeaders.ALLOW, allowed(router, ctx.request().path()));
    }
    // The "error" is the gRPC status a gRPC caller would get for the same: a method not served,
    // UNIMPLEMENTED; a message over a size limit, RESOURCE_EXHAUSTED. Not INVALID_ARGUMENT, which
    // says a field's value is wrong.
    Throwable failure = switch (code) {
      case 404 -> Failure.notFound("no such resource: " + request);
      case 405 -> new StatusException(GrpcStatus.UNIMPLEMENTED, request + ": the method is not allowed on this path");
      case 413 -> new StatusException(GrpcStatus.RESOURCE_EXHAUSTED, "the body must be at most " + HttpApi.MAX_BODY_BYTES + " bytes");
      default -> Failure.invalid(request + ": " + malformed(ctx, code));
    };
    HttpErrors.send(log, ctx, failure, code);
  }

  private static String malformed(RoutingContext ctx, int code) {
    Throwable failure = ctx.failure();
    String header = headerProblem(ctx.request());
    if (header != null) {
      return header;
    }
    if (code == 417) {
      return "Expect '" + ctx.request().getHeader(HttpHeaders.EXPECT) + "' is not met here: only 100-continue is";
    }
    if (failure instanceof HttpException http && http.getCause() instanceof IllegalArgumentException bad) {
      // What ctx.queryParams() throws for a query string that does not decode.
      return "the query string is not valid percent-encoding (" + bad.getMessage() + ")";
    }
    if (failure == null && code == 400) {
      // Vert.x Web refuses a path it cannot decode before any route runs, and does not say why.
      return "the path is not valid percent-encoding (a % takes two hex digits)";
    }
    return "the request is malformed (HTTP " + code + ")";
  }

  /**
   * What is wrong with a request's {@code Host} or {@code Transfer-Encoding}, as RFC 9112 asks a
   * server to refuse it (400); null when nothing is. Vert.x Web refuses a missing or invalid Host
   * without saying which, and took the first of two: a proxy in front that read the other would
   * route by one host and this by another. A body in a transfer coding other than chunked alone was
   * misread: Netty reads one without chunked as empty (the body then read as the next request),
   * and gzip's bytes as JSON when chunked came with it.
   */
  static String headerProblem(HttpServerRequest request) {
    if (request.version() == HttpVersion.HTTP_2) {
      return null; // its :authority, which Vert.x reads and checks; no transfer codings
    }
    // Every Transfer-Encoding line, as one list: "chunked" then "gzip" on two lines is a gzip body
    // that Netty frames as chunked.
    String codings = String.join(", ", request.headers().getAll(HttpHeaders.TRANSFER_ENCODING));
    if (!codings.isEmpty() && (request.version() == HttpVersion.HTTP_1_0 || !codings.strip().equalsIgnoreCase("chunked"))) {
      return "Transfer-Encoding '" + codings + "' is not read here" + (request.version() == HttpVersion.HTTP_1_0 ? " (HTTP/1.0 has none)" : "")
        + ": send the body as it is, chunked (HTTP/1.1) or with a Content-Length";
    }
    int hosts = request.headers().getAll(HttpHeaders.HOST).size();
    if (hosts > 1) {
      return "the request has " + hosts + " Host headers, where HTTP/1.1 allows one";
    }
    if (hosts == 0) {
      return request.version() == HttpVersion.HTTP_1_1 ? "the request has no Host header, which HTTP/1.1 requires" : null;
    }
    // An empty Host is allowed (RFC 9112 3.2), whatever authority Vert.x makes of it.
    String host = request.getHeader(HttpHeaders.HOST);
    return host.isEmpty() || request.authority() != null ? null
      : "the Host header '" + host + "' is not a host with an optional port";
  }

  /** The methods the routes serve on {@code path}, for a 405's Allow header. */
  static String allowed(Router router, String path) {
    Set<String> methods = new TreeSet<>();
    for (Route route : router.getRoutes()) {
      if (route.getPath() != null && route.methods() != null && matches(route.getPath(), path)) {
        route.methods().forEach(m -> methods.add(m.name()));
      }
    }
    return String.join(", ", methods);
  }

  /** Whether a route's path ({@code /api/orders/:id}) matches a request's, a trailing slash aside. */
  static boolean matches(String routePath, String path) {
    String[] want = routePath.split("/", -1);
    String[] got = (path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path).split("/", -1);
    if (want.length != got.length) {
      return false;
    }
    for (int i = 0; i < want.length; i++) {
      if (!want[i].startsWith(":") && !want[i].equals(got[i])) {
        return false;
      }
    }
    return true;
  }
}
