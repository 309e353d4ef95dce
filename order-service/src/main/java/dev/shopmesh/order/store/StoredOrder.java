package dev.shopmesh.order.store;

import dev.shopmesh.order.order.Order;
import dev.shopmesh.order.order.OrderStatus;
import dev.shopmesh.order.order.Rejection;

/**
 * An order with the fingerprint of the request that created it, for idempotent replays, and
 * whether a compensation (refund, release) is still owed for it.
 */
public record StoredOrder(Order order, String fingerprint, boolean owesCompensation) {

  /**
   * Refused for an outage, with nothing left to undo: a retry under its key may run anew. While a
   * refund or release is still owed, the outage may well go on, and a new attempt would only owe another.
   */
  public boolean outageOver() {
    return order.status() == OrderStatus.REJECTED && !owesCompensation
      && (order.rejection() == Rejection.UNAVAILABLE || order.rejection() == Rejection.TIMEOUT);
  }
}
