package dev.shopmesh.cli;

import me.tongfei.progressbar.ProgressBar;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The progress bar of {@code order}, told each order's outcome. A skipped order (due while the
 * client had all its orders in flight) is taken off the bar's total rather than counted as one
 * more done, and said beside it: counted as done, a stalled stack ran "3000/3000 orders 50.0 orders/s"
 * while it confirmed 1,321 at 21.7/s.
 */
final class OrderProgress implements Consumer<OrderLoad.Outcome> {

  private final ProgressBar bar;
  private final AtomicInteger skipped = new AtomicInteger();

  OrderProgress(ProgressBar bar) {
    this.bar = bar;
  }

  @Override
  public void accept(OrderLoad.Outcome outcome) {
    if (outcome == OrderLoad.Outcome.SKIPPED) {
      // Skips come from the one thread that schedules the orders: nothing else changes the total.
      bar.maxHint(bar.getMax() - 1);
      bar.setExtraMessage(" skipped " + skipped.incrementAndGet() + " (client saturated)");
    } else {
      bar.step();
    }
  }
}
