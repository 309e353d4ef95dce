package dev.shopmesh.order.api;

import dev.shopmesh.order.order.NewOrder;
import dev.shopmesh.order.order.Order;
import dev.shopmesh.proto.order.v1.OrderLine;
import dev.shopmesh.proto.order.v1.OrderStatus;
import dev.shopmesh.proto.order.v1.PlaceOrderRequest;
import dev.shopmesh.proto.order.v1.Rejection;

/** Orders to and from their protobuf messages. */
final class ProtoOrders {

  private ProtoOrders() {
  }

  static NewOrder fromProto(PlaceOrderRequest r) {
    return new NewOrder(r.getIdempotencyKey(), r.getCustomerId(),
      r.getItemsList().stream().map(i -> new NewOrder.Item(i.getProductId(), i.getQuantity())).toList(),
      new NewOrder.PaymentCard(r.getPayment().getCardNumber(), r.getPayment().getExpiry(), r.getPayment().getCvv()));
  }

  static dev.shopmesh.proto.order.v1.Order toProto(Order o) {
    dev.shopmesh.proto.order.v1.Order.Builder b = dev.shopmesh.proto.order.v1.Order.newBuilder()
      .setId(o.id()).setCustomerId(o.customerId())
      .setStatus(OrderStatus.valueOf("ORDER_STATUS_" + o.status().name()))
      .setTotalCents(o.totalCents()).setCurrency(o.currency())
      .setRejection(o.rejection() == dev.shopmesh.order.order.Rejection.NONE ? Rejection.REJECTION_UNSPECIFIED
        : Rejection.valueOf("REJECTION_" + o.rejection().name()))
      .setReason(o.reason())
      .setCreatedAtMillis(o.createdAtMillis()).setUpdatedAtMillis(o.updatedAtMillis());
    o.lines().forEach(l -> b.addLines(OrderLine.newBuilder().setProductId(l.productId()).setName(l.name())
      .setQuantity(l.quantity()).setUnitPriceCents(l.unitPriceCents())));
    return b.build();
  }
}
