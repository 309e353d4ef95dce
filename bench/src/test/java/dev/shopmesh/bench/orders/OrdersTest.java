package dev.shopmesh.bench.orders;

import dev.shopmesh.bench.serve.CatalogFill;
import dev.shopmesh.proto.order.v1.PlaceOrderRequest;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class OrdersTest {

  @Test
  void eachOrderHasItsOwnKeyAndBuysOneUnitOfTheImportedProductsInTurn() {
    Orders orders = new Orders("bench-run1");
    Set<String> keys = new HashSet<>();
    Set<String> products = new HashSet<>();
    IntStream.range(0, 2 * CatalogFill.IMPORTED).mapToObj(orders::order).forEach(o -> {
      keys.add(o.getIdempotencyKey());
      products.add(o.getItems(0).getProductId());
      assertThat(o.getItemsCount()).isEqualTo(1);
      assertThat(o.getItems(0).getQuantity()).isEqualTo(1);
    });

    assertThat(keys).hasSize(2 * CatalogFill.IMPORTED).allMatch(k -> k.startsWith("bench-run1-"));
    assertThat(products).hasSize(CatalogFill.IMPORTED).contains("bench-01", CatalogFill.productId(CatalogFill.IMPORTED));
  }

  @Test
  void paysWithTheApprovedCard() {
    PlaceOrderRequest order = new Orders("k").order(0);
    assertThat(order.getPayment().getCardNumber()).isEqualTo("4242424242424242");
    assertThat(order.getCustomerId()).isEqualTo("bench-customer-0");
  }
}
