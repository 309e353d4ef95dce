package dev.shopmesh.order.order;

import dev.shopmesh.platform.error.Failure;

/**
 * What a new order must satisfy before anything is reserved or charged. Messages name the field as
 * the public API spells it (the HTTP JSON and the proto's JSON names agree).
 */
public final class OrderRules {

  static final int MAX_ITEMS = 100;
  static final int MAX_QUANTITY = 1_000;
  /** The longest id catalog-service gives a product. */
  static final int MAX_PRODUCT_ID = 64;

  private OrderRules() {
  }

  public static NewOrder check(NewOrder order) {
    if (order.idempotencyKey().length() > 200) {
      throw Failure.invalid("idempotencyKey must be at most 200 characters");
    }
    if (order.customerId().isBlank()) {
      throw Failure.invalid("customerId is required");
    }
    if (order.customerId().length() > 128) {
      throw Failure.invalid("customerId must be at most 128 characters");
    }
    if (order.items().isEmpty()) {
      throw Failure.invalid("items must contain at least one item");
    }
    if (order.items().size() > MAX_ITEMS) {
      throw Failure.invalid("items must contain at most " + MAX_ITEMS + " items");
    }
    for (int i = 0; i < order.items().size(); i++) {
      NewOrder.Item item = order.items().get(i);
      if (item.productId().isBlank()) {
        throw Failure.invalid("items[" + i + "].productId is required");
      }
      if (item.productId().length() > MAX_PRODUCT_ID) {
        throw Failure.invalid("items[" + i + "].productId must be at most " + MAX_PRODUCT_ID + " characters");
      }
      if (item.quantity() < 1 || item.quantity() > MAX_QUANTITY) {
        throw Failure.invalid("items[" + i + "].quantity must be between 1 and " + MAX_QUANTITY + ", got " + item.quantity());
      }
    }
    if (order.card().cardNumber().isBlank()) {
      throw Failure.invalid("payment.cardNumber is required");
    }
    if (order.card().expiry().isBlank()) {
      throw Failure.invalid("payment.expiry is required");
    }
    if (order.card().cvv().isBlank()) {
      throw Failure.invalid("payment.cvv is required");
    }
    return order;
  }
}
