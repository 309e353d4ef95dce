package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.error.Failure;
import dev.shopmesh.platform.log.Logs;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.health.HealthService;
import io.vertx.grpc.health.handler.GrpcHealthCheckV1Handler;
import io.vertx.grpc.health.handler.GrpcHealthWatchV1Handler;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.health.v1.HealthCheckResponse;
import io.vertx.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import io.vertx.grpc.server.Service;

import java.util.Map;
import java.util.logging.Logger;

/**
 * {@code grpc.health.v1.Health}'s Check and Watch as the health protocol defines them; List is
 * Vert.x's. Vert.x 5.0.7's:
 * <ul>
 *   <li>Watch wrote the status to every watcher every 2.5 s whether it changed or not, and forgot a
 *   watcher only when its connection closed, so a cancelled Watch stayed on its list: here, the
 *   status at once, then a message each time it changes, until the caller goes;</li>
 *   <li>Check answered a caller already gone (a probe's timeout on a cold JVM) and logged the
 *   write's failure as an ERROR with its stack, and an unknown service NOT_FOUND with no message.</li>
 * </ul>
 */
final class HealthAnswers {

  private static final Logger LOG = Logs.logger("health");

  private final Vertx vertx;
  private final HealthService health;
  private final long intervalMillis;

  private HealthAnswers(Vertx vertx, HealthService health, long intervalMillis) {
    this.vertx = vertx;
    this.health = health;
    this.intervalMillis = intervalMillis;
  }

  /**
   * {@code health} with this Check and Watch, each watcher's status looked at again every
   * {@code intervalMillis}. Vert.x's own handlers are still made (its Watch with a timer, idle
   * without watchers), then not bound.
   */
  static Service of(Vertx vertx, HealthService health, long intervalMillis) {
    HealthAnswers answers = new HealthAnswers(vertx, health, intervalMillis);
    return ServiceBinder.wrap(health, server -> new Rebinder(server, Map.of(
      GrpcHealthCheckV1Handler.SERVICE_METHOD.methodName(), answers::check,
      GrpcHealthWatchV1Handler.SERVICE_METHOD.methodName(), answers::watch)));
  }

  private void check(GrpcServerRequest<HealthCheckRequest, HealthCheckResponse> request) {
    request.handler(ask -> {
      GrpcServerResponse<HealthCheckRequest, HealthCheckResponse> response = request.response();
      CallerGone caller = CallerGone.watch(response, () -> { });
      status(ask.getService()).onComplete(status -> {
        if (caller.gone()) {
          return;
        }
        if (status == ServingStatus.SERVICE_UNKNOWN) {
          Rpc.fail(LOG, "Check", response, Failure.notFound("no service '" + ask.getService() + "' is known to this server's health"));
        } else {
          response.end(HealthCheckResponse.newBuilder().setStatus(status).build());
        }
      }, err -> {
        if (!caller.gone()) {
          Rpc.fail(LOG, "Check", response, new Failure(Failure.Kind.UNAVAILABLE,
            "the health check of '" + ask.getService() + "' failed", err));
        }
      });
    });
  }

  private void watch(GrpcServerRequest<HealthCheckRequest, HealthCheckResponse> request) {
    request.handler(check -> {
      GrpcServerResponse<HealthCheckRequest, HealthCheckResponse> response = request.response();
      ServingStatus[] sent = {null};
      long[] timer = {-1};
      CallerGone caller = CallerGone.watch(response, () -> vertx.cancelTimer(timer[0]));
      // A check that fails is a service not serving, said as such: the stream goes on.
      Handler<Long> look = id -> status(check.getService()).otherwise(ServingStatus.NOT_SERVING).onSuccess(status -> {
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

  /**
   * The empty name is the server, SERVING; a name with no check is SERVICE_UNKNOWN; a check that
   * fails fails this. Completes on the calling context, whichever thread a check completes on.
   */
  private Future<ServingStatus> status(String service) {
    if (service.isEmpty()) {
      return Future.succeededFuture(ServingStatus.SERVING);
    }
    Future<ServingStatus> status = health.checkStatus(service)
      .map(up -> up ? ServingStatus.SERVING : ServingStatus.NOT_SERVING)
      // HealthService tells an unregistered name from a failed check by its message alone.
      .recover(err -> String.valueOf(err.getMessage()).startsWith("Unknown service")
        ? Future.succeededFuture(ServingStatus.SERVICE_UNKNOWN) : Future.failedFuture(err));
    return Future.fromCompletionStage(status.toCompletionStage(), vertx.getOrCreateContext());
  }

  /** The server as the health service binds to it, with this class's handlers in place of Vert.x's, by method name. */
  private record Rebinder(GrpcServer server,
                          Map<String, Handler<GrpcServerRequest<HealthCheckRequest, HealthCheckResponse>>> ours)
    implements ServiceBinder {

    @Override
    @SuppressWarnings("unchecked")
    public <Req, Resp> GrpcServer callHandler(ServiceMethod<Req, Resp> method, Handler<GrpcServerRequest<Req, Resp>> handler) {
      Handler<?> replaced = ours.get(method.methodName());
      server.callHandler(method, replaced != null ? (Handler<GrpcServerRequest<Req, Resp>>) replaced : handler);
      return this;
    }
  }
}
