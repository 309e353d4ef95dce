package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.trace.Trace;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.Address;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.impl.GrpcClientImpl;
import io.vertx.grpc.client.impl.GrpcClientRequestImpl;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.impl.GrpcWriteStreamBase;

/**
 * The mesh's gRPC client, which gives every stream it takes from a connection back. Vert.x 5.0.7
 * keeps a stream from its connection for good when a call that got it is never sent: the call's
 * cancel resets a stream not yet opened, which never closes. Two ways led there, both once a
 * caller's deadline had run out while its call waited for one of a replica's streams (1,000 a
 * connection): the stream, handed over late, was cancelled unsent; or Vert.x, handing it to a call
 * whose inherited deadline had passed, threw ("Handle this case") and lost the call with its
 * stream. After one burst of orders with short deadlines, the gateway's connection to order-service
 * had no stream left, and every order failed until a restart. Here the wait for a stream ends with
 * the caller's deadline, in the pool, so that no stream is handed over after it; the deadline is
 * the caller's to set; and a call is cancelled through {@link #cancel}, which gives its stream back.
 * The HTTP client is closed with this one.
 */
public final class MeshGrpcClient extends GrpcClientImpl {

  private final HttpClient http;
  private final GrpcClientOptions options;

  MeshGrpcClient(Vertx vertx, GrpcClientOptions options, HttpClient http) {
    super(vertx, options, http, true);
    this.http = http;
    this.options = options;
  }

  /**
   * A call to {@code server}, whose stream is waited for at most {@code waitMillis} (more than 0);
   * it has no deadline until the caller sets one ({@code timeout}).
   */
  <Req, Resp> Future<GrpcClientRequest<Req, Resp>> request(Address server, ServiceMethod<Resp, Req> method, long waitMillis) {
    Trace trace = Trace.current();
    return http.request(new RequestOptions().setMethod(HttpMethod.POST).setServer(server).setConnectTimeout(waitMillis))
      .map(httpRequest -> {
        GrpcClientRequestImpl<Req, Resp> call = new GrpcClientRequestImpl<>(httpRequest, options.getMaxMessageSize(),
          options.getScheduleDeadlineAutomatically(), method.encoder(), method.decoder());
        call.init();
        call.serviceName(method.serviceName());
        call.methodName(method.methodName());
        return traced(trace, call);
      });
  }

  /** A call with no wait for its stream but Vert.x's own (a stream with no deadline), carrying the trace as {@link #request(Address, ServiceMethod, long)} does. */
  @Override
  public <Req, Resp> Future<GrpcClientRequest<Req, Resp>> request(Address server, ServiceMethod<Resp, Req> method) {
    Trace trace = Trace.current();
    return super.request(server, method).map(call -> traced(trace, call));
  }

  /** The call, carrying on the trace of the request being served when it was made, if any (health checks have none). */
  private static <Req, Resp> GrpcClientRequest<Req, Resp> traced(Trace trace, GrpcClientRequest<Req, Resp> call) {
    if (trace != null) {
      trace.carryOn(call.headers());
    }
    return call;
  }

  /**
   * Cancels a call and gives its stream back, whether or not it was sent. One not sent has its
   * headers sent first, so that the cancel resets a stream that exists, which closes (the server
   * sees a call cancelled before its message, which does nothing); one sent is cancelled as it is
   * (its headers cannot be written again). Every cancel of a mesh call goes through here.
   */
  public static void cancel(GrpcClientRequest<?, ?> call) {
    GrpcWriteStreamBase<?, ?> stream = (GrpcWriteStreamBase<?, ?>) call;
    if (!stream.isHeadersSent()) {
      try {
        // Not waited for: on a connection whose peer reads nothing it would never complete, and the
        // stream would stay open. Both go to the connection's event loop in this order.
        stream.writeHead();
      } catch (IllegalStateException failed) {
        // Failed or ended meanwhile: nothing left to write, and the cancel does what can be done.
      }
    }
    call.cancel();
  }
}
