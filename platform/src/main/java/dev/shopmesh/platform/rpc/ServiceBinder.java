package dev.shopmesh.platform.rpc;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.Service;

import java.util.List;

/**
 * The server as a wrapped service sees it while it binds its methods: each method's handler goes
 * through {@code callHandler(method, handler)}, which the wrapper decorates; nothing else may.
 */
interface ServiceBinder extends GrpcServer {

  /** The server the methods end up on. */
  GrpcServer server();

  @Override
  default GrpcServer callHandler(Handler<GrpcServerRequest<Buffer, Buffer>> handler) {
    throw new UnsupportedOperationException("a service binds its own methods");
  }

  @Override
  default GrpcServer addService(Service other) {
    throw new UnsupportedOperationException("a service binds its own methods");
  }

  @Override
  default List<Service> services() {
    return server().services();
  }

  @Override
  default void handle(HttpServerRequest request) {
    throw new UnsupportedOperationException("a service binds its own methods");
  }
}
