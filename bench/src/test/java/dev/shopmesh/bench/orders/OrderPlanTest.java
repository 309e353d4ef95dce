package dev.shopmesh.bench.orders;

import dev.shopmesh.bench.serve.CatalogFill;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrderPlanTest {

  @Test
  void ordersOfARun() {
    assertThat(OrderPlan.orders(1_000, 10_000)).isEqualTo(10_000);
    assertThat(OrderPlan.orders(50, 500)).isEqualTo(25);
    assertThat(OrderPlan.orders(3, 500)).isEqualTo(2);
  }

  @Test
  void theMostOrdersCountEveryRunAndEveryRefinementAtTheTopRate() {
    OrderPlan plan = new OrderPlan(false, 100, 2_000, 300, 1_000, List.of(100, 200), 1_000, 3, 10, 50, 20, 1_000);

    // first 1 + warm-up 200 + fixed 300 + ramp 100 + 200 + 3 refinements × 200
    assertThat(plan.maxOrders()).isEqualTo(1 + 200 + 300 + 100 + 200 + 600);
    assertThat(plan.stockNeededPerProduct()).isEqualTo((1_401 + CatalogFill.IMPORTED - 1) / CatalogFill.IMPORTED);
  }

  @Test
  void refusesAStockTooSmallForItsOrders() {
    assertThatThrownBy(() -> new OrderPlan(false, 100, 2_000, 300, 1_000, List.of(100, 200), 1_000, 3, 10, 50, 20, 10))
      .hasMessageContaining("a stock of 10 per product is short");
  }

  @Test
  void theSmokeAndTheMeasuredPlansHaveStockForEveryOrder() {
    assertThat(OrderPlan.smoke().stock()).isGreaterThanOrEqualTo((int) OrderPlan.smoke().stockNeededPerProduct());
    OrderPlan fastest = OrderPlan.measured(100_000);
    assertThat(fastest.stock()).isGreaterThanOrEqualTo((int) fastest.stockNeededPerProduct());
    assertThat(OrderPlan.measured(1_000).fixedRate()).isEqualTo(1_000);
  }
}
