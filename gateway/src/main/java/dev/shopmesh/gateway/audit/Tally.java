package dev.shopmesh.gateway.audit;

import dev.shopmesh.proto.catalog.v1.ListReservationsResponse;
import dev.shopmesh.proto.order.v1.Order;
import dev.shopmesh.proto.order.v1.OrderStatus;
import dev.shopmesh.proto.payment.v1.Charge;
import dev.shopmesh.proto.payment.v1.ChargeStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit's verdict, added up one order at a time: counts of orders and charges, and the
 * violations of the invariants:
 * <ul>
 *   <li>doubleCharges: an order with more than one approved charge;</li>
 *   <li>chargesWithoutConfirmedOrder: an approved (not refunded) charge whose order is not CONFIRMED;</li>
 *   <li>confirmedWithoutCharge: a CONFIRMED order nobody paid for;</li>
 *   <li>leakedStock: stock still reserved for an order that is neither PENDING nor CONFIRMED.</li>
 * </ul>
 * While orders are PENDING some of these can be momentarily true; read them once {@code pending} is 0.
 * Each kind names its first {@link #LISTED} violations, in order id order, and counts them all.
 */
final class Tally {

  /** How many violations of one kind the report names: a broken store could otherwise make every order one. */
  static final int LISTED = 1_000;

  private final Map<OrderStatus, Long> orders = new EnumMap<>(OrderStatus.class);
  private final Map<ChargeStatus, Long> charges = new EnumMap<>(ChargeStatus.class);
  private final Map<String, Violations> violations = new LinkedHashMap<>();
  private long orderCount;
  private long chargeCount;

  Tally() {
    for (String kind : List.of("doubleCharges", "chargesWithoutConfirmedOrder", "confirmedWithoutCharge", "leakedStock")) {
      violations.put(kind, new Violations());
    }
  }

  /** Adds one order's records: the order (none when it is missing), its charges and its reservation lines. */
  void add(List<Order> order, List<Charge> itsCharges, List<ListReservationsResponse> itsLines) {
    OrderStatus status = order.isEmpty() ? null : order.get(0).getStatus();
    order.forEach(o -> orders.merge(o.getStatus(), 1L, Long::sum));
    orderCount += order.size();
    itsCharges.forEach(c -> charges.merge(c.getStatus(), 1L, Long::sum));
    chargeCount += itsCharges.size();

    List<Charge> approved = itsCharges.stream().filter(c -> c.getStatus() == ChargeStatus.CHARGE_STATUS_APPROVED).toList();
    if (approved.size() > 1) {
      violations.get("doubleCharges").add(new JsonObject().put("orderId", approved.get(0).getOrderId())
        .put("approvedCharges", approved.size()));
    }
    if (status != OrderStatus.ORDER_STATUS_CONFIRMED) {
      approved.forEach(c -> violations.get("chargesWithoutConfirmedOrder").add(new JsonObject()
        .put("orderId", c.getOrderId()).put("chargeId", c.getId()).put("status", "APPROVED")));
    } else if (approved.isEmpty()) {
      violations.get("confirmedWithoutCharge").add(new JsonObject().put("orderId", order.get(0).getId()));
    }
    if (status != OrderStatus.ORDER_STATUS_PENDING && status != OrderStatus.ORDER_STATUS_CONFIRMED) {
      itsLines.stream().filter(line -> !line.getReleased()).forEach(line -> violations.get("leakedStock").add(new JsonObject()
        .put("reservationId", line.getReservationId()).put("productId", line.getProductId())
        .put("quantity", line.getQuantity()).put("orderStatus", status == null ? "MISSING" : name(status))));
    }
  }

  /** The {@code /api/audit} answer. */
  JsonObject report() {
    JsonObject listed = new JsonObject();
    JsonObject counted = new JsonObject();
    violations.forEach((kind, v) -> {
      listed.put(kind, v.listed);
      counted.put(kind, v.count);
    });
    return new JsonObject()
      .put("orders", new JsonObject().put("total", orderCount)
        .put("pending", of(orders, OrderStatus.ORDER_STATUS_PENDING))
        .put("confirmed", of(orders, OrderStatus.ORDER_STATUS_CONFIRMED))
        .put("rejected", of(orders, OrderStatus.ORDER_STATUS_REJECTED))
        .put("cancelled", of(orders, OrderStatus.ORDER_STATUS_CANCELLED)))
      .put("charges", new JsonObject().put("total", chargeCount)
        .put("approved", of(charges, ChargeStatus.CHARGE_STATUS_APPROVED))
        .put("refunded", of(charges, ChargeStatus.CHARGE_STATUS_REFUNDED))
        .put("declined", of(charges, ChargeStatus.CHARGE_STATUS_DECLINED)))
      .put("violations", listed)
      .put("violationCounts", counted);
  }

  private static <K> long of(Map<K, Long> counts, K key) {
    return counts.getOrDefault(key, 0L);
  }

  private static String name(OrderStatus status) {
    return status.name().substring("ORDER_STATUS_".length());
  }

  /** One kind of violation: the first {@link #LISTED}, and how many. */
  private static final class Violations {
    final JsonArray listed = new JsonArray();
    long count;

    void add(JsonObject violation) {
      if (count++ < LISTED) {
        listed.add(violation);
      }
    }
  }
}
