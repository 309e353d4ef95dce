package dev.shopmesh.gateway.grpc;

import dev.shopmesh.platform.rpc.Rpc;
import io.vertx.core.Future;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

import java.util.logging.Logger;

/** Relays a downstream response stream to our caller, failures as their gRPC status. */
final class Streams {

  private Streams() {
  }

  static <T> void relay(Logger log, String method, Future<? extends ReadStream<T>> upstream, WriteStream<T> response) {
    upstream.onComplete(stream -> {
      stream.exceptionHandler(err -> Rpc.fail(log, method, response, err));
      stream.endHandler(v -> response.end());
      stream.handler(response::write);
    }, err -> Rpc.fail(log, method, response, err));
  }
}
