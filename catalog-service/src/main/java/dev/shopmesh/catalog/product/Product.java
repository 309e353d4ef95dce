package dev.shopmesh.catalog.product;

/** A sellable item. Money is integer minor units plus an ISO 4217 code. */
public record Product(String id, String name, String description, long priceCents, String currency, int stock) {
}
