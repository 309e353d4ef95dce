package dev.shopmesh.order.order;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** An order as the customer asks for it. {@code idempotencyKey} is empty when none was given. */
public record NewOrder(String idempotencyKey, String customerId, List<Item> items, PaymentCard card) {

  /** One requested line. */
  public record Item(String productId, int quantity) {
  }

  /** The card as typed; it is passed to payment-service and never stored here. */
  public record PaymentCard(String cardNumber, String expiry, String cvv) {
  }

  /**
   * What makes two requests "the same order" for idempotency: everything but the card's secret
   * parts. Only this digest is stored.
   */
  public String fingerprint() {
    StringBuilder canonical = new StringBuilder(customerId).append('\n');
    items.forEach(i -> canonical.append(i.productId()).append('x').append(i.quantity()).append('\n'));
    String number = card.cardNumber();
    canonical.append(number.length() >= 4 ? number.substring(number.length() - 4) : number).append('\n').append(card.expiry());
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
