package dev.shopmesh.bench.orders;

import dev.shopmesh.bench.serve.CatalogFill;
import dev.shopmesh.proto.order.v1.OrderItem;
import dev.shopmesh.proto.order.v1.PlaceOrderRequest;
import dev.shopmesh.proto.payment.v1.Card;

/**
 * The orders the benchmark places: one unit of one of the products the bench imports, in turn
 * (so no product's row takes every reservation), for one of a hundred customers, paid with a
 * card the payment service approves, each with its own idempotency key (the same key would answer
 * the first order again).
 */
public final class Orders {

  /** Approved by payment-service: every valid number but its one declined test card is. */
  static final String APPROVED_CARD = "4242424242424242";
  static final int CUSTOMERS = 100;

  private static final Card CARD = Card.newBuilder().setCardNumber(APPROVED_CARD).setExpiry("12/39").setCvv("123").build();

  private final String keyPrefix;

  /** @param keyPrefix unique to the run: every key starts with it */
  public Orders(String keyPrefix) {
    this.keyPrefix = keyPrefix;
  }

  /** The run's order number {@code i} (from 0). */
  public PlaceOrderRequest order(int i) {
    return PlaceOrderRequest.newBuilder()
      .setIdempotencyKey(keyPrefix + "-" + i)
      .setCustomerId("bench-customer-" + (i % CUSTOMERS))
      .addItems(OrderItem.newBuilder().setProductId(CatalogFill.productId(1 + i % CatalogFill.IMPORTED)).setQuantity(1))
      .setPayment(CARD)
      .build();
  }
}
