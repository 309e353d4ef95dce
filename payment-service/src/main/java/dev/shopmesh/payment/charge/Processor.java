package dev.shopmesh.payment.charge;

import dev.shopmesh.platform.error.Failure;
import dev.shopmesh.platform.error.StoredText;

import java.time.YearMonth;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The simulated card processor: validates a charge request and decides its outcome. Deterministic
 * test cards: {@value #DECLINED_CARD} is declined, every other valid number is approved; a number
 * that fails the Luhn check is invalid input. Messages name the field as the caller sent it.
 */
public final class Processor {

  public static final String DECLINED_CARD = "4000000000000002";

  private static final Pattern DIGITS = Pattern.compile("\\d{12,19}");
  private static final Pattern EXPIRY = Pattern.compile("(0[1-9]|1[0-2])/(\\d{2})");
  private static final Pattern CVV = Pattern.compile("\\d{3,4}");
  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

  private Processor() {
  }

  public static void validate(ChargeRequest request, YearMonth now) {
    if (request.key().isBlank()) {
      throw Failure.invalid("idempotencyKey is required");
    }
    StoredText.check("idempotencyKey", request.key(), 200);
    StoredText.check("orderId", request.orderId(), 64);
    if (request.amountCents() <= 0) {
      throw Failure.invalid("amountCents must be positive, got " + request.amountCents());
    }
    if (!CURRENCY.matcher(request.currency()).matches()) {
      throw Failure.invalid("currency must be an ISO 4217 code such as USD, got '" + request.currency() + "'");
    }
    Card card = request.card();
    if (!DIGITS.matcher(card.number()).matches()) {
      throw Failure.invalid("card.cardNumber must be 12 to 19 digits");
    }
    if (!luhn(card.number())) {
      throw Failure.invalid("card.cardNumber fails the Luhn check");
    }
    var expiry = EXPIRY.matcher(card.expiry());
    if (!expiry.matches()) {
      // "13/30" looks like MM/YY: what is wrong with it is the month.
      throw Failure.invalid(card.expiry().matches("\\d{2}/\\d{2}")
        ? "card.expiry's month must be 01 to 12, got '" + card.expiry() + "'"
        : "card.expiry must look like MM/YY, got '" + card.expiry() + "'");
    }
    YearMonth expires = YearMonth.of(2000 + Integer.parseInt(expiry.group(2)), Integer.parseInt(expiry.group(1)));
    if (expires.isBefore(now)) {
      throw Failure.invalid("card.expiry " + card.expiry() + " is in the past");
    }
    if (!CVV.matcher(card.cvv()).matches()) {
      throw Failure.invalid("card.cvv must be 3 or 4 digits");
    }
  }

  /** The outcome of a valid request. */
  public static Charge decide(ChargeRequest request) {
    boolean declined = DECLINED_CARD.equals(request.card().number());
    return new Charge(UUID.randomUUID().toString(), request.key(), request.orderId(), request.amountCents(),
      request.currency(), declined ? Charge.Status.DECLINED : Charge.Status.APPROVED,
      declined ? "card declined by issuer" : "", request.card().last4());
  }

  static boolean luhn(String digits) {
    int sum = 0;
    boolean twice = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (twice) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      twice = !twice;
    }
    return sum % 10 == 0;
  }
}
