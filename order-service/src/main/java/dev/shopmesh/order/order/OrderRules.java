package dev.shopmesh.order.order;

import dev.shopmesh.platform.error.Failure;
import dev.shopmesh.platform.error.StoredText;

import java.util.LinkedHashMap;
import java.util.Map;

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

  /** {@code order}, its lines of one product merged; or a failure naming what is wrong. */
  public static NewOrder check(NewOrder order) {
    StoredText.check("idempotencyKey", order.idempotencyKey(), 200);
    if (!order.idempotencyKey().isEmpty() && order.idempotencyKey().isBlank()) {
      // A template's empty variable, padded: over HTTP, whose headers lose their spaces, it is refused
      // as an empty key; over gRPC it was a key, shared by every such client's orders.
      throw Failure.invalid("idempotencyKey is blank: send a key, or none");
    }
    if (order.customerId().isBlank()) {
      throw Failure.invalid("customerId is required");
    }
    StoredText.check("customerId", order.customerId(), 128);
    if (order.items().isEmpty()) {
      throw Failure.invalid("items must contain at least one item");
    }
    if (order.items().size() > MAX_ITEMS) {
      throw Failure.invalid("items must contain at most " + MAX_ITEMS + " items");
    }
    // A product on several lines is one line of their sum, in the place of its first: catalog-service
    // reserves it so, and a confirmed order showed one line where a rejected one showed them all.
    Map<String, Integer> quantities = new LinkedHashMap<>();
    for (int i = 0; i < order.items().size(); i++) {
      NewOrder.Item item = order.items().get(i);
      if (item.productId().isBlank()) {
        throw Failure.invalid("items[" + i + "].productId is required");
      }
      // Quoted in the reason an unknown product is rejected with, which the order keeps.
      StoredText.check("items[" + i + "].productId", item.productId(), MAX_PRODUCT_ID);
      if (item.quantity() < 1 || item.quantity() > MAX_QUANTITY) {
        throw Failure.invalid("items[" + i + "].quantity must be between 1 and " + MAX_QUANTITY + ", got " + item.quantity());
      }
      int total = quantities.merge(item.productId(), item.quantity(), Integer::sum);
      if (total > MAX_QUANTITY) {
        throw Failure.invalid("items[" + i + "].quantity brings '" + item.productId() + "' to " + total
          + " in all, over the " + MAX_QUANTITY + " one order may ask of a product");
      }
    }
    if (order.card().cardNumber().isBlank() && order.card().expiry().isBlank() && order.card().cvv().isBlank()) {
      // No payment at all (a JSON body without it reads as an empty one): naming its first field
      // sent the caller looking for a typo in a field it never wrote.
      throw Failure.invalid("payment is required: cardNumber, expiry and cvv");
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
    return quantities.size() == order.items().size() ? order : new NewOrder(order.idempotencyKey(), order.customerId(),
      quantities.entrySet().stream().map(e -> new NewOrder.Item(e.getKey(), e.getValue())).toList(), order.card());
  }
}
