package dev.shopmesh.platform.rpc;

import com.google.protobuf.Descriptors;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.Service;

import java.util.List;
import java.util.function.Function;

/**
 * The server as a wrapped service sees it while it binds its methods: each method's handler goes
 * through {@code callHandler(method, handler)}, which the wrapper decorates; nothing else may.
 */
interface ServiceBinder extends GrpcServer {

  /** {@code service} as it is, but bound through the server {@code binder} makes of the real one. */
  static Service wrap(Service service, Function<GrpcServer, ServiceBinder> binder) {
    return new Service() {
      @Override
      public ServiceName name() {
        return service.name();
      }

      @Override
      public Descriptors.ServiceDescriptor descriptor() {
        return service.descriptor();
      }

      @Override
      public void bind(GrpcServer server) {
        service.bind(binder.apply(server));
      }
    };
  }

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
