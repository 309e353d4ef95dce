package dev.shopmesh.gateway.http;

import dev.shopmesh.platform.rpc.MeshClient;
import dev.shopmesh.proto.catalog.v1.CatalogServiceGrpcClient;
import dev.shopmesh.proto.catalog.v1.ListReservationsRequest;
import dev.shopmesh.proto.catalog.v1.ListReservationsResponse;
import dev.shopmesh.proto.order.v1.ListOrdersRequest;
import dev.shopmesh.proto.order.v1.Order;
import dev.shopmesh.proto.order.v1.OrderServiceGrpcClient;
import dev.shopmesh.proto.order.v1.OrderStatus;
import dev.shopmesh.proto.payment.v1.Charge;
import dev.shopmesh.proto.payment.v1.ChargeStatus;
import dev.shopmesh.proto.payment.v1.ListChargesRequest;
import dev.shopmesh.proto.payment.v1.PaymentServiceGrpcClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code GET /api/audit}: the invariants that say no order was lost, charged twice or left stock
 * behind, checked across the three services' own records (each streamed whole from its owner):
 * <ul>
 *   <li>doubleCharges: an order with more than one approved charge;</li>
 *   <li>chargesWithoutConfirmedOrder: an approved (not refunded) charge whose order is not CONFIRMED;</li>
 *   <li>confirmedWithoutCharge: a CONFIRMED order nobody paid for;</li>
 *   <li>leakedStock: stock still reserved for an order that is neither PENDING nor CONFIRMED.</li>
 * </ul>
 * While orders are PENDING some of these can be momentarily true; read them once {@code pending} is 0.
 */
final class Audit {

  /** An audit reads three whole tables: more than the default deadline, still bounded. */
  static final long LIST_DEADLINE_MS = 60_000;

  private final MeshClient client;

  Audit(MeshClient client) {
    this.client = client;
  }

  Future<JsonObject> run() {
    Future<List<Order>> orders = client.list("order-service", OrderServiceGrpcClient.ListOrders,
      ListOrdersRequest.getDefaultInstance(), LIST_DEADLINE_MS).map(all -> all.stream().map(r -> r.getOrder()).toList());
    Future<List<Charge>> charges = client.list("payment-service", PaymentServiceGrpcClient.ListCharges,
      ListChargesRequest.getDefaultInstance(), LIST_DEADLINE_MS).map(all -> all.stream().map(r -> r.getCharge()).toList());
    Future<List<ListReservationsResponse>> reservations = client.list("catalog-service",
      CatalogServiceGrpcClient.ListReservations, ListReservationsRequest.getDefaultInstance(), LIST_DEADLINE_MS);
    return Future.all(orders, charges, reservations)
      .map(v -> evaluate(orders.result(), charges.result(), reservations.result()));
  }

  static JsonObject evaluate(List<Order> orders, List<Charge> charges, List<ListReservationsResponse> reservations) {
    Map<String, OrderStatus> statusOf = new HashMap<>();
    orders.forEach(o -> statusOf.put(o.getId(), o.getStatus()));
    List<Charge> approved = charges.stream().filter(c -> c.getStatus() == ChargeStatus.CHARGE_STATUS_APPROVED).toList();
    Map<String, Long> approvedPerOrder = approved.stream().collect(Collectors.groupingBy(Charge::getOrderId, Collectors.counting()));

    JsonArray doubleCharges = new JsonArray();
    approvedPerOrder.forEach((order, n) -> {
      if (n > 1) {
        doubleCharges.add(new JsonObject().put("orderId", order).put("approvedCharges", n));
      }
    });
    JsonArray withoutOrder = new JsonArray();
    approved.stream().filter(c -> statusOf.get(c.getOrderId()) != OrderStatus.ORDER_STATUS_CONFIRMED)
      .forEach(c -> withoutOrder.add(new JsonObject().put("orderId", c.getOrderId()).put("chargeId", c.getId())
        .put("status", "APPROVED")));
    JsonArray unpaid = new JsonArray();
    orders.stream().filter(o -> o.getStatus() == OrderStatus.ORDER_STATUS_CONFIRMED && !approvedPerOrder.containsKey(o.getId()))
      .forEach(o -> unpaid.add(new JsonObject().put("orderId", o.getId())));
    JsonArray leaked = new JsonArray();
    reservations.stream().filter(r -> !r.getReleased()).forEach(r -> {
      OrderStatus status = statusOf.get(r.getReservationId());
      if (status != OrderStatus.ORDER_STATUS_PENDING && status != OrderStatus.ORDER_STATUS_CONFIRMED) {
        leaked.add(new JsonObject().put("reservationId", r.getReservationId()).put("productId", r.getProductId())
          .put("quantity", r.getQuantity()).put("orderStatus", status == null ? "MISSING" : name(status)));
      }
    });

    return new JsonObject()
      .put("orders", new JsonObject().put("total", orders.size())
        .put("pending", count(orders, OrderStatus.ORDER_STATUS_PENDING))
        .put("confirmed", count(orders, OrderStatus.ORDER_STATUS_CONFIRMED))
        .put("rejected", count(orders, OrderStatus.ORDER_STATUS_REJECTED))
        .put("cancelled", count(orders, OrderStatus.ORDER_STATUS_CANCELLED)))
      .put("charges", new JsonObject().put("total", charges.size())
        .put("approved", approved.size())
        .put("refunded", charges.stream().filter(c -> c.getStatus() == ChargeStatus.CHARGE_STATUS_REFUNDED).count())
        .put("declined", charges.stream().filter(c -> c.getStatus() == ChargeStatus.CHARGE_STATUS_DECLINED).count()))
      .put("violations", new JsonObject()
        .put("doubleCharges", doubleCharges)
        .put("chargesWithoutConfirmedOrder", withoutOrder)
        .put("confirmedWithoutCharge", unpaid)
        .put("leakedStock", leaked));
  }

  private static long count(List<Order> orders, OrderStatus status) {
    return orders.stream().filter(o -> o.getStatus() == status).count();
  }

  private static String name(OrderStatus status) {
    return status.name().substring("ORDER_STATUS_".length());
  }
}
