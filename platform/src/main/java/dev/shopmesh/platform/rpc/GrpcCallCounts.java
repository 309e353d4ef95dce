package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.metrics.Prometheus;
import dev.shopmesh.platform.metrics.ServedCalls;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.grpc.common.GrpcHeaderNames;
import io.vertx.grpc.common.GrpcStatus;

/**
 * The gRPC calls a server answers, counted by method and status ({@code grpc-status} as named in
 * the gRPC spec) with their latency. Every service counts its own server's and publishes them with
 * each heartbeat ({@code served} in {@code /api/mesh}); the gateway's are also in {@code GET /metrics}.
 */
public final class GrpcCallCounts {

  /** The method label of a call to a method the server does not serve: the path is the caller's to choose. */
  static final String NOT_SERVED = "other";

  private GrpcCallCounts() {
  }

  /** Empty counts, for one server: {@code shopmesh_grpc_server_calls_total} and {@code …_call_duration_seconds}. */
  public static ServedCalls create() {
    return new ServedCalls(new ServedCalls.Names("shopmesh_grpc_server_call", "gRPC calls this process answered, by method",
      method -> "method=\"" + Prometheus.label(method) + "\""));
  }

  /**
   * Counts {@code request} once its answer ends, or its stream closes before that (CANCELLED).
   * gRPC-Web calls are not counted: their status travels in the body, where this cannot read it.
   */
  static void count(HttpServerRequest request, String contentType, ServedMethods methods, ServedCalls calls) {
    if (contentType.startsWith("application/grpc-web")) {
      return;
    }
    long start = System.nanoTime();
    String method = methods.served(request.path()) ? request.path() : NOT_SERVED;
    HttpServerResponse response = request.response();
    // Once: Vert.x 5.0.7 calls it when the connection closes under an unfinished answer, and again
    // if the handler then ends the answer (only a reset stops vertx-grpc from writing it).
    boolean[] counted = {false};
    response.endHandler(v -> {
      if (!counted[0]) {
        counted[0] = true;
        calls.record(method, status(response), System.nanoTime() - start);
      }
    });
  }

  private static String status(HttpServerResponse response) {
    if (!response.ended()) {
      return GrpcStatus.CANCELLED.name();
    }
    // In the trailers, or in the headers of an answer that is trailers alone (an error before any message).
    String code = response.trailers().get(GrpcHeaderNames.GRPC_STATUS);
    if (code == null) {
      code = response.headers().get(GrpcHeaderNames.GRPC_STATUS);
    }
    try {
      GrpcStatus status = code == null ? null : GrpcStatus.valueOf(Integer.parseInt(code));
      return status == null ? GrpcStatus.UNKNOWN.name() : status.name();
    } catch (NumberFormatException e) {
      return GrpcStatus.UNKNOWN.name();
    }
  }
}
