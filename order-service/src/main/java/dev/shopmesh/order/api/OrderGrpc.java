package dev.shopmesh.order.api;

import dev.shopmesh.order.order.Order;
import dev.shopmesh.order.order.OrderStatus;
import dev.shopmesh.order.saga.PlaceOrderSaga;
import dev.shopmesh.order.store.OrderStore;
import dev.shopmesh.order.tracking.OrderChanges;
import dev.shopmesh.order.tracking.OrderFollower;
import dev.shopmesh.platform.boot.InFlightWork;
import dev.shopmesh.platform.error.Failure;
import dev.shopmesh.platform.rpc.CallerGone;
import dev.shopmesh.platform.rpc.Rpc;
import dev.shopmesh.proto.order.v1.GetOrderRequest;
import dev.shopmesh.proto.order.v1.GetOrderResponse;
import dev.shopmesh.proto.order.v1.ListOrdersRequest;
import dev.shopmesh.proto.order.v1.ListOrdersResponse;
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

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The gRPC face of order-service. A rejected order is an answer (the order, with its rejection),
 * except when it was rejected for bad input (INVALID_ARGUMENT) or an outage (UNAVAILABLE): those
 * are errors for the caller, whether on the first call or on a replay of its idempotency key.
 */
public final class OrderGrpc extends OrderServiceService {

  private final Vertx vertx;
  private final PlaceOrderSaga saga;
  private final InFlightWork sagas;
  private final OrderStore store;
  private final OrderChanges changes;
  private final long pollMillis;
  private final Logger log;
  /** How to end each WatchOrder and TrackOrders stream open now, should this replica stop. */
  private final Set<Runnable> openStreams = ConcurrentHashMap.newKeySet();

  /** @param sagas where each saga is counted while it runs, so that a stopping replica finishes it */
  public OrderGrpc(Vertx vertx, PlaceOrderSaga saga, InFlightWork sagas, OrderStore store, OrderChanges changes, long pollMillis,
                   Logger log) {
    this.vertx = vertx;
    this.saga = saga;
    this.sagas = sagas;
    this.store = store;
    this.changes = changes;
    this.pollMillis = pollMillis;
    this.log = log;
  }

  @Override
  public Future<PlaceOrderResponse> placeOrder(PlaceOrderRequest request) {
    return Rpc.reply(log, "PlaceOrder", Future.succeededFuture(request)
      .compose(r -> sagas.track(saga.place(ProtoOrders.fromProto(r))))
      .map(OrderGrpc::answerOrFail)
      .map(order -> PlaceOrderResponse.newBuilder().setOrder(ProtoOrders.toProto(order)).build()));
  }

  private static Order answerOrFail(Order order) {
    if (order.status() == OrderStatus.PENDING) {
      // A replay that waited its while for the first call with its key, as Stripe answers a key in use.
      throw new Failure(Failure.Kind.ABORTED, "the order under this idempotency key is still being placed (order "
        + order.id() + "); send the request again shortly");
    }
    if (order.status() == OrderStatus.REJECTED) {
      switch (order.rejection()) {
        case INVALID_INPUT -> throw Failure.invalid(order.reason());
        case UNAVAILABLE -> throw Failure.unavailable(order.reason() + " (order " + order.id() + ")");
        case TIMEOUT -> throw new Failure(Failure.Kind.DEADLINE_EXCEEDED, order.reason() + " (order " + order.id() + ")");
        default -> {
          // OUT_OF_STOCK and PAYMENT_DECLINED are business outcomes: the rejected order is the answer.
        }
      }
    }
    return order;
  }

  @Override
  public Future<GetOrderResponse> getOrder(GetOrderRequest request) {
    return Rpc.reply(log, "GetOrder", Future.succeededFuture(request.getId()).map(OrderGrpc::required)
      .compose(store::find).map(found -> found
      .map(o -> GetOrderResponse.newBuilder().setOrder(ProtoOrders.toProto(o)).build())
      .orElseThrow(() -> Failure.notFound("order '" + request.getId() + "' does not exist"))));
  }

  @Override
  protected void listOrders(ListOrdersRequest request, WriteStream<ListOrdersResponse> response) {
    Rpc.streamPages(log, "ListOrders", last -> store.page(last == null ? "" : last.getOrder().getId(), Rpc.STREAM_PAGE)
      .map(orders -> orders.stream()
        .map(o -> ListOrdersResponse.newBuilder().setOrder(ProtoOrders.toProto(o)).build()).toList()),
      Rpc.STREAM_PAGE, response);
  }

  @Override
  protected void watchOrder(WatchOrderRequest request, WriteStream<WatchOrderResponse> response) {
    if (request.getId().isEmpty()) {
      Rpc.fail(log, "WatchOrder", response, Failure.invalid(REQUIRED_ID));
      return;
    }
    OrderFollower[] follower = new OrderFollower[1];
    Runnable stopping = () -> {
      follower[0].close();
      Rpc.fail(log, "WatchOrder", response, stopping());
    };
    follower[0] = new OrderFollower(vertx, store, changes, pollMillis, order -> {
      response.write(WatchOrderResponse.newBuilder().setOrder(ProtoOrders.toProto(order)).build());
      if (order.isFinal()) {
        follower[0].close();
        openStreams.remove(stopping);
        response.end();
      }
    });
    openStreams.add(stopping);
    CallerGone.watch(response, () -> {
      follower[0].close();
      openStreams.remove(stopping);
    });
    follower[0].add(request.getId()).onComplete(found -> {
      if (found.isEmpty()) {
        follower[0].close();
        openStreams.remove(stopping);
        Rpc.fail(log, "WatchOrder", response, Failure.notFound("order '" + request.getId() + "' does not exist"));
      }
    }, err -> {
      follower[0].close();
      openStreams.remove(stopping);
      Rpc.fail(log, "WatchOrder", response, err);
    });
  }

  /**
   * Ends every WatchOrder and TrackOrders stream open now with UNAVAILABLE saying why, for a
   * replica that stops: held open, they kept the stop waiting its whole grace, then broke with the
   * connection ("a dependency is unavailable" at the gateway). Opened again, they are served by
   * another replica.
   */
  public void endStreams() {
    List.copyOf(openStreams).forEach(Runnable::run);
    openStreams.clear();
  }

  static Failure stopping() {
    return Failure.unavailable("this order-service replica is stopping: open the stream again, another replica serves it");
  }

  /** An empty order id is a mistake to name, not an order to look for. */
  private static final String REQUIRED_ID = "id is required";

  private static String required(String id) {
    if (id.isEmpty()) {
      throw Failure.invalid(REQUIRED_ID);
    }
    return id;
  }

  @Override
  protected void trackOrders(ReadStream<TrackOrdersRequest> requests, WriteStream<TrackOrdersResponse> response) {
    TrackOrdersCall call = new TrackOrdersCall(response, log, onState -> new OrderFollower(vertx, store, changes, pollMillis, onState),
      openStreams);
    requests.handler(call::handle);
    requests.endHandler(v -> call.halfClosed());
    requests.exceptionHandler(err -> call.close());
  }
}
