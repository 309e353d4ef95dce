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
   * parts. Only this digest is stored. Each text goes in with its length, so that no two orders
   * read the same: joined with separators alone, a customer id holding one ("alice\nmugx1") let
   * another order pass for this one.
   */
  public String fingerprint() {
    StringBuilder canonical = new StringBuilder();
    field(canonical, customerId);
    items.forEach(i -> field(canonical, i.productId()).append(i.quantity()).append(';'));
    String number = card.cardNumber();
    field(canonical, number.length() >= 4 ? number.substring(number.length() - 4) : number);
    field(canonical, card.expiry());
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static StringBuilder field(StringBuilder canonical, String value) {
    return canonical.append(value.length()).append(':').append(value);
  }
}
