package dev.shopmesh.order.order;

import java.util.List;

/** An order's lines as catalog-service reserved and priced them, and their total. */
public record Priced(List<OrderLine> lines, long totalCents, String currency) {
}
