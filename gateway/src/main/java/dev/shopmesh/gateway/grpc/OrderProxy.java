package dev.shopmesh.gateway.grpc;

import dev.shopmesh.platform.discovery.ServiceNames;
import dev.shopmesh.platform.rpc.CallerGone;
import dev.shopmesh.platform.rpc.MeshClient;
import dev.shopmesh.platform.rpc.MeshGrpcClient;
import dev.shopmesh.platform.rpc.Rpc;
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
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.server.Service;

import java.util.logging.Logger;

/**
 * {@code shop.order.v1.OrderService} at the gateway, each call relayed to an order-service replica.
 * ListOrders, every customer's orders, is for the mesh (the audit): not bound here, it answers
 * UNIMPLEMENTED "Method not found: …".
 */
public final class OrderProxy extends OrderServiceService {

  public static final String ORDERS = ServiceNames.ORDER;

  private final MeshClient client;
  private final Logger log;

  public OrderProxy(MeshClient client, Logger log) {
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

  @Override
  public Future<PlaceOrderResponse> placeOrder(PlaceOrderRequest request) {
    return Rpc.reply(log, "PlaceOrder", placeOrder(client, request));
  }

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

  @Override
  protected void watchOrder(WatchOrderRequest request, WriteStream<WatchOrderResponse> response) {
    Streams.relay(log, "WatchOrder", client.stream(ORDERS, OrderServiceGrpcClient.WatchOrder)
      .onSuccess(call -> call.end(request)), response);
  }

  @Override
  protected void trackOrders(ReadStream<TrackOrdersRequest> requests, WriteStream<TrackOrdersResponse> response) {
    // Hold the caller's messages until the downstream stream is open, then relay both ways.
    requests.pause();
    Future<GrpcClientRequest<TrackOrdersRequest, TrackOrdersResponse>> upstream =
      client.stream(ORDERS, OrderServiceGrpcClient.TrackOrders);
    CallerGone caller = Streams.relay(log, "TrackOrders", upstream, response);
    upstream.onSuccess(req -> {
      // A caller's last messages and its end can arrive after it went (its deadline passed) and
      // the relay cancelled the downstream call: written to that call, each failed with an ERROR.
      requests.handler(message -> {
        if (!caller.gone()) {
          req.write(message);
          if (req.writeQueueFull()) {
            requests.pause();
            req.drainHandler(drained -> requests.resume());
          }
        }
      });
      requests.endHandler(v -> {
        if (!caller.gone()) {
          req.end();
        }
      });
      requests.exceptionHandler(err -> MeshGrpcClient.cancel(req));
      requests.resume();
    });
  }
}
