package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.discovery.ReplicaCache;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.AddressResolver;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.endpoint.LoadBalancer;
import io.vertx.core.streams.ReadStream;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.common.GrpcLocal;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.server.StatusException;

import java.util.concurrent.TimeUnit;

/**
 * The load-balanced gRPC client every caller uses. Services are addressed by name
 * ({@link #address(String)}); each call is resolved against the live {@link ReplicaCache} and
 * spread over the replicas by Vert.x's load balancer. Deadlines: a call made while serving a
 * request inherits that request's remaining deadline (server-side propagation is on in
 * {@link MeshServer}); any other call gets {@link RpcSettings#deadlineMillis()}.
 */
public final class MeshClient {

  /** Logical addresses carry the service name as host; the port is never dialled. */
  private static final int LOGICAL_PORT = 0;

  private final Vertx vertx;
  private final GrpcClient client;

  public MeshClient(Vertx vertx, RpcSettings settings, ReplicaCache replicas, LoadBalancer loadBalancer) {
    this.vertx = vertx;
    GrpcClientOptions grpcOptions = new GrpcClientOptions()
      .setTimeout((int) settings.deadlineMillis())
      .setTimeoutUnit(TimeUnit.MILLISECONDS)
      .setScheduleDeadlineAutomatically(true)
      .setMaxMessageSize(settings.maxMessageBytes());
    HttpClientOptions transport = new HttpClientOptions()
      .setProtocolVersion(HttpVersion.HTTP_2)
      .setHttp2ClearTextUpgrade(false);
    this.client = GrpcClient.builder(vertx)
      .with(grpcOptions)
      .with(transport)
      .withAddressResolver(AddressResolver.mappingResolver(
        (SocketAddress logical) -> replicas.addresses(logical.host())))
      .withLoadBalancer(loadBalancer)
      .build();
  }

  /** The address to hand to a generated stub ({@code XxxGrpcClient.create(client.grpc(), address)}). */
  public static SocketAddress address(String service) {
    return SocketAddress.inetSocketAddress(LOGICAL_PORT, service);
  }

  public GrpcClient grpc() {
    return client;
  }

  /**
   * A unary call that, unlike the generated stubs, keeps the status message of a failed call (the
   * field a server complained about), failing with a {@link StatusException}.
   */
  public <Req, Resp> Future<Resp> unary(String service, ServiceMethod<Resp, Req> method, Req request) {
    GrpcLocal inherited = inheritedDeadline();
    if (inherited != null && inherited.deadline().toEpochMilli() <= System.currentTimeMillis()) {
      return Future.failedFuture(new StatusException(GrpcStatus.DEADLINE_EXCEEDED,
        "deadline exceeded before calling " + service));
    }
    return client.request(address(service), method).compose(req -> req.end(request)
      .compose(v -> req.response())
      .compose(resp -> resp.last().recover(err -> Future.failedFuture(
        resp.status() != null && resp.status() != GrpcStatus.OK
          ? new StatusException(resp.status(), resp.statusMessage())
          : err)))
      .recover(err -> Future.failedFuture(req.deadline() != null && req.deadline().succeeded()
        ? new StatusException(GrpcStatus.DEADLINE_EXCEEDED, service + " did not answer within the deadline")
        : err)));
  }

  /**
   * Opens a streaming call. Streams (watching an order, tracking orders) live as long as their
   * caller keeps them open, so the default deadline does not apply to them; a deadline inherited
   * from the request being served still does.
   */
  public <Req, Resp> Future<GrpcClientRequest<Req, Resp>> stream(String service, ServiceMethod<Resp, Req> method) {
    boolean inherited = inheritedDeadline() != null;
    return client.request(address(service), method)
      .map(req -> inherited ? req : req.timeout(0, TimeUnit.MILLISECONDS));
  }

  /**
   * A server-streaming call: completes with the response stream once the server answered its
   * headers, or fails with the server's status and message.
   */
  public <Req, Resp> Future<ReadStream<Resp>> serverStream(String service, ServiceMethod<Resp, Req> method, Req request) {
    return stream(service, method).compose(req -> req.end(request)
      .compose(v -> req.response())
      .compose(resp -> resp.status() != null && resp.status() != GrpcStatus.OK
        ? Future.failedFuture(new StatusException(resp.status(), resp.statusMessage()))
        : Future.succeededFuture(resp)));
  }

  private GrpcLocal inheritedDeadline() {
    return ((ContextInternal) vertx.getOrCreateContext()).getLocal(GrpcLocal.CONTEXT_LOCAL_KEY);
  }

  public Future<Void> close() {
    return client.close();
  }
}
