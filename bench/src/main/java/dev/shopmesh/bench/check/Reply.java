package dev.shopmesh.bench.check;

import io.vertx.core.MultiMap;

/**
 * A whole answer as the wire carried it. gRPC puts {@code grpc-status} in the trailers, or in the
 * headers of a trailers-only answer (an error before any message).
 */
public record Reply(int status, MultiMap headers, MultiMap trailers, byte[] body) {

  public String grpcStatus() {
    String status = trailers.get("grpc-status");
    return status != null ? status : headers.get("grpc-status");
  }

  public String grpcMessage() {
    String message = trailers.get("grpc-message");
    return message != null ? message : headers.get("grpc-message");
  }
}
