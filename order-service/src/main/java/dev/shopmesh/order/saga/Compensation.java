package dev.shopmesh.order.saga;

import dev.shopmesh.platform.rpc.Rpc;
import io.vertx.core.Future;

import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Undoes an order's steps downstream: refunds its charge by key, when one may have been made, then
 * releases its stock. Both are tried whatever became of the other (a payment outage must not keep
 * the stock taken), and both are idempotent, so one that failed is simply run again later: by the
 * recovery sweep, for as long as the order's compensation is owed.
 */
final class Compensation {

  private final Downstream downstream;
  private final Logger log;

  Compensation(Downstream downstream, Logger log) {
    this.downstream = downstream;
    this.log = log;
  }

  /** Answers whether both steps succeeded; each that failed is logged. */
  Future<Boolean> run(String orderId, boolean refund) {
    Future<Boolean> refunded = refund ? attempt(orderId, "refund", downstream::refund) : Future.succeededFuture(true);
    return refunded.compose(done -> attempt(orderId, "stock release", downstream::release).map(released -> done && released));
  }

  private Future<Boolean> attempt(String orderId, String step, Function<String, Future<Void>> call) {
    return call.apply(orderId).map(true).otherwise(err -> {
      log.warning("order " + orderId + ": " + step + " failed, will retry: " + Rpc.statusOf(err).name() + " "
        + Rpc.toStatus(err).message());
      return false;
    });
  }
}
