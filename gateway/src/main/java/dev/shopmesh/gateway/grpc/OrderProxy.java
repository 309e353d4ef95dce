package dev.shopmesh.gateway.grpc;

import dev.shopmesh.platform.discovery.ServiceNames;
import dev.shopmesh.platform.error.Failure;
import dev.shopmesh.platform.rpc.MeshClient;
import dev.shopmesh.platform.rpc.MeshGrpcClient;
import dev.shopmesh.platform.rpc.Rpc;
import dev.shopmesh.platform.trace.Trace;
import dev.shopmesh.proto.order.v1.GetOrderRequest;
import dev.shopmesh.proto.order.v1.GetOrderResponse;
import dev.shopmesh.proto.order.v1.OrderServiceGrpcClient;
import dev.shopmesh.proto.order.v1.OrderServiceGrpcService;
import dev.shopmesh.proto.order.v1.OrderServiceService;
import dev.shopmesh.proto.order.v1.PlaceOrderRequest;
import dev.shopmesh.proto.order.v1.PlaceOrderResponse;
import dev.shopmesh.proto.order.v1.TrackOrdersRequest;
import dev.shopmesh.proto.order.v1.TrackOrdersResponse;
import dev.shopmesh.proto.order.v1.WatchOrderRequest;
import dev.shopmesh.proto.order.v1.WatchOrderResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.server.Service;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.logging.Logger;

/**
 * {@code shop.order.v1.OrderService} at the gateway, each call relayed to an order-service replica.
 * ListOrders, every customer's orders, is for the mesh (the audit): not bound here, it answers
 * UNIMPLEMENTED "Method not found: …".
 */
public final class OrderProxy extends OrderServiceService {

  public static final String ORDERS = ServiceNames.ORDER;

  private final Vertx vertx;
  private final MeshClient client;
  private final Logger log;

  public OrderProxy(Vertx vertx, MeshClient client, Logger log) {
    this.vertx = vertx;
    this.client = client;
    this.log = log;
  }

  /** The proxy as the gateway serves it: a customer's calls only. */
  public static Service service(OrderProxy proxy) {
    return OrderServiceGrpcService.builder(proxy)
      .bind(OrderServiceGrpcService.PlaceOrder, OrderServiceGrpcService.GetOrder, OrderServiceGrpcService.WatchOrder,
        OrderServiceGrpcService.TrackOrders)
      .build();
  }

  /**
   * Over gRPC the key is the request's field. An {@code idempotency-key} in the metadata, as over
   * HTTP, was ignored: each retry placed and charged another order. Refused, naming the field.
   */
  @Override
  public Future<PlaceOrderResponse> placeOrder(PlaceOrderRequest request) {
    if (Trace.requestHeader(IDEMPOTENCY_METADATA) != null) {
      return Rpc.reply(log, "PlaceOrder", Future.failedFuture(Failure.invalid("the idempotency key goes in the request's"
        + " idempotency_key field (idempotencyKey in JSON) over gRPC, not in idempotency-key metadata")));
    }
    return Rpc.reply(log, "PlaceOrder", placeOrder(client, request));
  }

  /** The HTTP API's header, as a client may send it as gRPC metadata too. */
  static final String IDEMPOTENCY_METADATA = "idempotency-key";

  /**
   * Every order gets an idempotency key at the gateway (the caller's, else a fresh one), which
   * makes PlaceOrder safe to retry on another order-service replica. Its deadline is
   * {@link #PLACE_ORDER_DEADLINES} of the mesh's: the saga's calls each have one, and when a step
   * runs out of it (a slow payment-service), the saga still compensates and answers the rejected
   * order, saying what became of the charge and the stock, rather than the gateway giving up at
   * the same moment with "order-service did not answer".
   */
  public static Future<PlaceOrderResponse> placeOrder(MeshClient client, PlaceOrderRequest request) {
    PlaceOrderRequest keyed = request.getIdempotencyKey().isEmpty()
      ? request.toBuilder().setIdempotencyKey(java.util.UUID.randomUUID().toString()).build()
      : request;
    return client.idempotent(ORDERS, OrderServiceGrpcClient.PlaceOrder, keyed, PLACE_ORDER_DEADLINES * client.deadlineMillis());
  }

  /** Two steps that each run out of their deadline (the charge, then its refund), and the answer. */
  public static final int PLACE_ORDER_DEADLINES = 3;

  @Override
  public Future<GetOrderResponse> getOrder(GetOrderRequest request) {
    return Rpc.reply(log, "GetOrder", client.idempotent(ORDERS, OrderServiceGrpcClient.GetOrder, request));
  }

  /** Resumed on another replica when the one serving it stops or is lost ({@link Relay}). */
  @Override
  protected void watchOrder(WatchOrderRequest request, WriteStream<WatchOrderResponse> response) {
    Relay.resuming(log, "WatchOrder", () -> client.stream(ORDERS, OrderServiceGrpcClient.WatchOrder), call -> call.end(request),
      response, vertx, client.deadlineMillis(), watched -> "").start();
  }

  /**
   * Resumed on another replica when the one serving it stops or is lost ({@link Relay}): the new
   * call is sent an add for each order the caller follows, and the end if the caller has ended.
   */
  @Override
  protected void trackOrders(ReadStream<TrackOrdersRequest> requests, WriteStream<TrackOrdersResponse> response) {
    Set<String> followed = new LinkedHashSet<>();
    boolean[] callerEnded = {false};
    // Hold the caller's messages until the downstream stream is open, then relay both ways.
    requests.pause();
    Relay<TrackOrdersRequest, TrackOrdersResponse> relay = Relay.resuming(log, "TrackOrders",
      () -> client.stream(ORDERS, OrderServiceGrpcClient.TrackOrders),
      call -> {
        followed.forEach(id -> call.write(TrackOrdersRequest.newBuilder().setAddOrderId(id).build()));
        if (callerEnded[0]) {
          call.end();
        }
        requests.resume();
      },
      response, vertx, client.deadlineMillis(), tracked -> tracked.getOrder().getId());
    // A caller's last messages and its end can arrive after it went (its deadline passed) and the
    // relay cancelled the downstream call: written to that call, each failed with an ERROR. While
    // the call is opened again, a message only changes what the new call will be sent.
    requests.handler(message -> {
      if (relay.callerGone()) {
        return;
      }
      switch (message.getChangeCase()) {
        case ADD_ORDER_ID -> {
          followed.add(message.getAddOrderId());
          relay.forget(message.getAddOrderId());
        }
        case DROP_ORDER_ID -> {
          followed.remove(message.getDropOrderId());
          relay.forget(message.getDropOrderId());
        }
        default -> { }
      }
      GrpcClientRequest<TrackOrdersRequest, TrackOrdersResponse> call = relay.call();
      if (call != null) {
        call.write(message);
        if (call.writeQueueFull()) {
          requests.pause();
          call.drainHandler(drained -> requests.resume());
        }
      }
    });
    requests.endHandler(v -> {
      callerEnded[0] = true;
      GrpcClientRequest<TrackOrdersRequest, TrackOrdersResponse> call = relay.call();
      if (call != null) {
        call.end();
      }
    });
    requests.exceptionHandler(err -> {
      GrpcClientRequest<TrackOrdersRequest, TrackOrdersResponse> call = relay.call();
      if (call != null) {
        MeshGrpcClient.cancel(call);
      }
    });
    relay.start();
  }
}
