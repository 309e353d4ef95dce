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
  void theMostOrdersCountEveryRunEveryRefinementAtTheTopRateAndTheProbes() {
    OrderPlan plan = new OrderPlan(false, 2, 1_000, 500, 300, 1_000, List.of(100, 200), 1_000, 3, 10, 50, 20, 100_000);

    // first 1 + warm-up 2 in flight × 1000 ms at 1 ms a call at best; each open-loop run 1.5 s with
    // its lead-in: fixed 450 + ramp 150 + 300 + 3 refinements × 300; probes before 2 ramp steps,
    // 3 refinements and the fixed run
    long most = 1 + 2_000 + 450 + 150 + 300 + 900 + OrderPlan.PROBES_PER_RUN * 6L;
    assertThat(plan.maxOrders()).isEqualTo(most);
    assertThat(plan.stockNeededPerProduct()).isEqualTo((most + CatalogFill.IMPORTED - 1) / CatalogFill.IMPORTED);
  }

  @Test
  void refusesAStockTooSmallForItsOrders() {
    assertThatThrownBy(() -> new OrderPlan(false, 2, 1_000, 0, 300, 1_000, List.of(100, 200), 1_000, 3, 10, 50, 20, 10))
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
