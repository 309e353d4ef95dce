package dev.shopmesh.gateway.http;

import dev.shopmesh.platform.rpc.Rpc;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Failures as HTTP answers: the gRPC status decides the code, the body is
 * {@code {"error": "<STATUS>", "message": "..."}}. Each is logged once; details of unexpected
 * failures stay in the log.
 */
final class HttpErrors {

  /** How soon a retry of a 409 ABORTED or a 503 is worth sending. */
  static final String RETRY_AFTER_SECONDS = "1";

  private HttpErrors() {
  }

  static void send(Logger log, RoutingContext ctx, Throwable err) {
    send(log, ctx, err, 0);
  }

  /** As {@link #send(Logger, RoutingContext, Throwable)}, with an HTTP code of the caller's choosing unless 0. */
  static void send(Logger log, RoutingContext ctx, Throwable err, int httpCode) {
    StatusException status = Rpc.toStatus(err);
    int code = httpCode != 0 ? httpCode : switch (status.status()) {
      case INVALID_ARGUMENT, OUT_OF_RANGE -> 400;
      case NOT_FOUND -> 404;
      case ALREADY_EXISTS, FAILED_PRECONDITION, ABORTED -> 409;
      // A message over the gRPC size limit between the gateway and a backend: nothing the HTTP
      // client sent (its body is capped far lower), and nothing a retry would change (a 502 is retried).
      case RESOURCE_EXHAUSTED -> 500;
      case UNAVAILABLE -> 503;
      case DEADLINE_EXCEEDED -> 504;
      default -> 500;
    };
    Level level = Rpc.severity(status.status());
    log.log(level, ctx.request().method() + " " + ctx.request().path() + " -> " + code + " " + status.status().name()
      + ": " + status.message() + Rpc.cause(level, err), level == Level.SEVERE ? err : null);
    if (!ctx.response().headWritten()) {
      if (status.status() == GrpcStatus.ABORTED || status.status() == GrpcStatus.UNAVAILABLE) {
        // What the client should do is send it again, shortly: an order still being placed under
        // its key, a conflict the database rolled back, a dependency down. Said in HTTP's terms.
        ctx.response().putHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
      }
      Answers.json(ctx, code, new JsonObject().put("error", status.status().name()).put("message", status.message()).encode());
    }
  }
}
