package dev.shopmesh.order.store;

import dev.shopmesh.order.order.Order;

/** An order with the fingerprint of the request that created it, for idempotent replays. */
public record StoredOrder(Order order, String fingerprint) {
}
