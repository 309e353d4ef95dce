package dev.shopmesh.payment.charge;

/** A stored charge attempt; {@code key} is the caller's idempotency key. */
public record Charge(String id, String key, String orderId, long amountCents, String currency,
                     Status status, String declineReason, String cardLast4) {

  /** What became of the charge. */
  public enum Status { APPROVED, DECLINED, REFUNDED }

  /** The decline reason of a key refunded before it was ever charged. */
  public static final String TOMBSTONE = "refunded before it was charged";

  /** Whether this is the mark a refund leaves for a charge that had not arrived yet. */
  public boolean isTombstone() {
    return status == Status.REFUNDED && TOMBSTONE.equals(declineReason);
  }

  /** Whether a repeated request with the same key asks for this same charge. */
  public boolean sameRequestAs(ChargeRequest request) {
    return orderId.equals(request.orderId()) && amountCents == request.amountCents()
      && currency.equals(request.currency()) && cardLast4.equals(request.card().last4());
  }
}
