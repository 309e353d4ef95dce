package dev.shopmesh.payment.charge;

/** A request to charge {@code amountCents} to a card, once per {@code key}. */
public record ChargeRequest(String key, String orderId, long amountCents, String currency, Card card) {
}
