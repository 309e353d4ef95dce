package dev.shopmesh.catalog.product;

/** One product line of a reservation, and whether its stock was put back. */
public record ReservationLine(String reservationId, String productId, int quantity, boolean released) {
}
