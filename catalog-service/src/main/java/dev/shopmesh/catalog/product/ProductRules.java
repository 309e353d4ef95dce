package dev.shopmesh.catalog.product;

import dev.shopmesh.platform.error.Failure;
import dev.shopmesh.platform.error.StoredText;

import java.util.regex.Pattern;

/** What makes a product valid to import; messages name the field. */
public final class ProductRules {

  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
  /**
   * A billion in the currency's unit: an order's total (100 lines of 1,000 units at most) then
   * stays far inside a long. Unbounded, two units of a product priced near 2^63 cents overflowed
   * the total, failed the order INTERNAL and held its stock until the sweep settled it.
   */
  static final long MAX_PRICE_CENTS = 100_000_000_000L;

  private ProductRules() {
  }

  /**
   * Whether a product could have this id. One that could not is unknown without asking the
   * database, which may refuse to compare it at all (PostgreSQL's text has no NUL character).
   */
  public static boolean possibleId(String id) {
    return ID.matcher(id).matches();
  }

  public static Failure unknown(String id) {
    return Failure.notFound("product '" + id + "' does not exist");
  }

  /** @param where how the product is named in messages, e.g. {@code products[3]} */
  public static Product check(String where, Product p) {
    if (!ID.matcher(p.id()).matches()) {
      throw Failure.invalid(where + ".id must be 1-64 lowercase letters, digits or dashes, got '" + p.id() + "'");
    }
    if (p.name().isBlank()) {
      throw Failure.invalid(where + ".name is required");
    }
    StoredText.check(where + ".name", p.name(), 200);
    StoredText.check(where + ".description", p.description(), 2000);
    if (p.priceCents() <= 0 || p.priceCents() > MAX_PRICE_CENTS) {
      throw Failure.invalid(where + ".priceCents must be between 1 and " + MAX_PRICE_CENTS + ", got " + p.priceCents());
    }
    if (!CURRENCY.matcher(p.currency()).matches()) {
      throw Failure.invalid(where + ".currency must be an ISO 4217 code such as USD, got '" + p.currency() + "'");
    }
    if (p.stock() < 0) {
      throw Failure.invalid(where + ".stock must not be negative");
    }
    return p;
  }
}
