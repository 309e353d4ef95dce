package dev.shopmesh.platform.rpc;

import com.google.protobuf.Descriptors;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.core.internal.http.HttpServerRequestWrapper;
import io.vertx.grpc.server.Service;

import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Hands the gRPC server each HTTP/2 call to a method that answers with one message (unary and
 * client streaming) with a {@link HeldWriteResponse}, so its answer leaves in one HTTP write; other
 * calls (streams, gRPC-Web over HTTP/1.1) pass through as they came. Measured on SayHello, see the
 * bench README.
 */
final class UnaryAnswers implements Handler<HttpServerRequest> {

  private final Set<String> paths;
  private final Handler<HttpServerRequest> grpc;

  private UnaryAnswers(Set<String> paths, Handler<HttpServerRequest> grpc) {
    this.paths = paths;
    this.grpc = grpc;
  }

  /** {@code grpc}, serving {@code services}, with their one-message answers sent in one write. */
  static Handler<HttpServerRequest> of(Handler<HttpServerRequest> grpc, Collection<? extends Service> services) {
    return new UnaryAnswers(paths(services), grpc);
  }

  /** The HTTP paths of the methods of {@code services} that answer with one message. */
  static Set<String> paths(Collection<? extends Service> services) {
    return services.stream()
      .flatMap(service -> service.methodDescriptors().stream())
      .filter(method -> !method.isServerStreaming())
      .map(UnaryAnswers::path)
      .collect(Collectors.toUnmodifiableSet());
  }

  private static String path(Descriptors.MethodDescriptor method) {
    return "/" + method.getService().getFullName() + "/" + method.getName();
  }

  @Override
  public void handle(HttpServerRequest request) {
    boolean oneWrite = request.version() == HttpVersion.HTTP_2 && paths.contains(request.path());
    grpc.handle(oneWrite ? new OneWriteRequest((HttpServerRequestInternal) request) : request);
  }

  /** The request as it came, with its response held for one write. */
  private static final class OneWriteRequest extends HttpServerRequestWrapper {

    private final HttpServerResponse response;

    OneWriteRequest(HttpServerRequestInternal request) {
      super(request);
      response = new HeldWriteResponse(request.response(), request.context().nettyEventLoop());
    }

    @Override
    public HttpServerResponse response() {
      return response;
    }
  }
}
