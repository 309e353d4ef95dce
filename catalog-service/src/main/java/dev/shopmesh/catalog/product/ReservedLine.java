package dev.shopmesh.catalog.product;

/** A line of a reservation, priced when it was reserved. */
public record ReservedLine(String productId, String name, int quantity, long unitPriceCents, String currency) {
}
