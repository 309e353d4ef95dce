package dev.shopmesh.platform.rpc;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.vertx.core.Handler;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.Service;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The methods a server has bound, as services bind them: what reflection describes. A service's
 * descriptor names all its contract's methods, where the gateway binds some (its proxies leave out
 * the internal ones), and a client that read them from reflection called methods not served.
 */
final class ServedMethods {

  private final Set<String> bound = ConcurrentHashMap.newKeySet();
  /** The same, as request paths ({@code /package.Service/Method}): looked up on every call, with nothing to build. */
  private final Set<String> paths = ConcurrentHashMap.newKeySet();

  /** {@code service}, its methods noted here as it binds them. */
  Service noting(Service service) {
    return ServiceBinder.wrap(service, server -> new Noting(server, bound, paths));
  }

  boolean served(MethodDescriptor method) {
    return bound.contains(method.getService().getFullName() + "/" + method.getName());
  }

  /** Whether a call to {@code path} ({@code /package.Service/Method}) reaches a bound method. */
  boolean served(String path) {
    return paths.contains(path);
  }

  boolean served(ServiceDescriptor service) {
    return service.getMethods().stream().anyMatch(this::served);
  }

  private record Noting(GrpcServer server, Set<String> bound, Set<String> paths) implements ServiceBinder {

    @Override
    public <Req, Resp> GrpcServer callHandler(ServiceMethod<Req, Resp> method, Handler<GrpcServerRequest<Req, Resp>> handler) {
      String name = method.serviceName().fullyQualifiedName() + "/" + method.methodName();
      bound.add(name);
      paths.add("/" + name);
      server.callHandler(method, handler);
      return this;
    }
  }
}
