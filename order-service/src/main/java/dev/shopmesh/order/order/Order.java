package dev.shopmesh.order.order;

import java.util.List;

/** An order and its outcome. Money in integer minor units. */
public record Order(String id, String customerId, OrderStatus status, List<OrderLine> lines, long totalCents,
                    String currency, Rejection rejection, String reason, long createdAtMillis, long updatedAtMillis) {

  public boolean isFinal() {
    return status != OrderStatus.PENDING;
  }
}
