package dev.shopmesh.platform.rpc;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.health.HealthService;
import io.vertx.grpc.health.handler.GrpcHealthWatchV1Handler;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.health.v1.HealthCheckResponse;
import io.vertx.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import io.vertx.grpc.server.Service;

/**
 * {@code grpc.health.v1.Health} with {@code Watch} as the health protocol defines it: the status
 * at once, then a message each time it changes. Vert.x 5.0.7's Watch wrote the status to every
 * watcher every 2.5 s whether it changed or not, and forgot a watcher only when its connection
 * closed, so a cancelled Watch stayed on its list. Check and List are Vert.x's.
 */
final class HealthWatch {

  private final Vertx vertx;
  private final HealthService health;
  private final long intervalMillis;

  private HealthWatch(Vertx vertx, HealthService health, long intervalMillis) {
    this.vertx = vertx;
    this.health = health;
    this.intervalMillis = intervalMillis;
  }

  /**
   * {@code health} with this Watch, each watcher's status looked at again every {@code intervalMillis}.
   * Vert.x's Watch handler is still made (with its timer, idle without watchers), then not bound.
   */
  static Service of(Vertx vertx, HealthService health, long intervalMillis) {
    HealthWatch watch = new HealthWatch(vertx, health, intervalMillis);
    return ServiceBinder.wrap(health, server -> new Rebinder(server, watch::watch));
  }

  private void watch(GrpcServerRequest<HealthCheckRequest, HealthCheckResponse> request) {
    request.handler(check -> {
      GrpcServerResponse<HealthCheckRequest, HealthCheckResponse> response = request.response();
      ServingStatus[] sent = {null};
      long[] timer = {-1};
      CallerGone caller = CallerGone.watch(response, () -> vertx.cancelTimer(timer[0]));
      Handler<Long> look = id -> status(check.getService()).onSuccess(status -> {
        if (status != sent[0] && !caller.gone()) {
          sent[0] = status;
          response.write(HealthCheckResponse.newBuilder().setStatus(status).build());
        }
      });
      look.handle(null);
      if (!caller.gone()) {
        timer[0] = vertx.setPeriodic(intervalMillis, look);
      }
    });
  }

  /** As Check answers: the empty name is the server, SERVING; a name with no check is SERVICE_UNKNOWN. */
  private Future<ServingStatus> status(String service) {
    if (service.isEmpty()) {
      return Future.succeededFuture(ServingStatus.SERVING);
    }
    return health.checkStatus(service)
      .map(up -> up ? ServingStatus.SERVING : ServingStatus.NOT_SERVING)
      .otherwise(ServingStatus.SERVICE_UNKNOWN);
  }

  /** The server as the health service binds to it, with this class's Watch in place of Vert.x's. */
  private record Rebinder(GrpcServer server,
                          Handler<GrpcServerRequest<HealthCheckRequest, HealthCheckResponse>> watch) implements ServiceBinder {

    @Override
    @SuppressWarnings("unchecked")
    public <Req, Resp> GrpcServer callHandler(ServiceMethod<Req, Resp> method, Handler<GrpcServerRequest<Req, Resp>> handler) {
      boolean isWatch = method.methodName().equals(GrpcHealthWatchV1Handler.SERVICE_METHOD.methodName());
      server.callHandler(method, isWatch ? (Handler<GrpcServerRequest<Req, Resp>>) (Handler<?>) watch : handler);
      return this;
    }
  }
}
