package dev.shopmesh.order.order;

/** A line of an order; the name and unit price are the catalog's at reservation time (empty/0 before). */
public record OrderLine(String productId, String name, int quantity, long unitPriceCents) {
}
