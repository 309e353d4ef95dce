package dev.shopmesh.order.saga;

import dev.shopmesh.order.order.Order;
import dev.shopmesh.order.order.OrderStatus;
import dev.shopmesh.order.order.Rejection;
import dev.shopmesh.order.store.OrderStore;
import dev.shopmesh.platform.rpc.Rpc;
import dev.shopmesh.proto.payment.v1.ChargeStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.logging.Logger;

/**
 * Finishes sagas that were interrupted (a crash of the replica running them, a lost connection),
 * so that no order stays PENDING. Every order-service replica sweeps on a period for orders PENDING
 * for longer than any saga can take (well past the deadline of every call it makes), and settles
 * each from the one fact that decides it, the charge, looked up by its key:
 * <ul>
 *   <li>approved: the customer paid and the stock is reserved (the charge comes after the
 *   reservation), so the order is CONFIRMED;</li>
 *   <li>none, declined or refunded: the reservation (if any) is released and the order REJECTED.</li>
 * </ul>
 * Every step is idempotent and every transition guarded by {@code status = 'PENDING'}, so replicas
 * sweeping at once cannot settle an order twice. When payment or catalog cannot be asked, the order
 * waits for the next sweep. The same sweep retries the compensations (refund, release) that failed
 * when a saga ran them, or that a saga started and did not finish; orders being compensated are
 * never settled from their charge, which may be about to be refunded.
 */
public final class SagaRecovery {

  private final Vertx vertx;
  private final OrderStore store;
  private final Downstream downstream;
  private final long staleMillis;
  private final Logger log;
  private long timer = -1;

  public SagaRecovery(Vertx vertx, OrderStore store, Downstream downstream, long staleMillis, Logger log) {
    this.vertx = vertx;
    this.store = store;
    this.downstream = downstream;
    this.staleMillis = staleMillis;
    this.log = log;
  }

  public void start(long periodMillis) {
    timer = vertx.setPeriodic(periodMillis, t -> sweep());
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }

  /** One pass; completes with how many orders it settled or finished compensating. */
  public Future<Integer> sweep() {
    long before = System.currentTimeMillis() - staleMillis;
    return store.pendingSince(before, 100).compose(stale -> {
      Future<Integer> chain = Future.succeededFuture(0);
      for (Order order : stale) {
        chain = chain.compose(n -> settle(order).map(settled -> settled ? n + 1 : n));
      }
      return chain;
    }).compose(settled -> store.owedCompensations(before, 100).compose(owed -> {
      Future<Integer> chain = Future.succeededFuture(settled);
      for (var entry : owed.entrySet()) {
        chain = chain.compose(n -> compensate(entry.getKey(), entry.getValue()).map(done -> done ? n + 1 : n));
      }
      return chain;
    }));
  }

  /** Finishes a compensation, and rejects the order if the saga that started it died before doing so. */
  private Future<Boolean> compensate(String id, boolean refund) {
    return (refund ? downstream.refund(id) : Future.<Void>succeededFuture())
      .compose(v -> downstream.release(id))
      .compose(v -> store.finish(id, OrderStatus.REJECTED, Rejection.UNAVAILABLE,
        "interrupted while being compensated; any charge refunded, stock released"))
      .compose(order -> store.compensated(id))
      .map(v -> {
        log.info("finished the owed compensation of order " + id);
        return true;
      })
      .otherwise(err -> false);
  }

  private Future<Boolean> settle(Order order) {
    return downstream.chargeOf(order.id())
      .compose(charge -> {
        if (charge.isPresent() && charge.get().getStatus() == ChargeStatus.CHARGE_STATUS_APPROVED) {
          return store.finish(order.id(), OrderStatus.CONFIRMED, Rejection.NONE, "");
        }
        return downstream.release(order.id()).compose(v -> store.finish(order.id(), OrderStatus.REJECTED,
          Rejection.UNAVAILABLE, "interrupted before payment completed; stock released"));
      })
      .map(settled -> {
        log.info("recovered interrupted order " + order.id() + ": " + settled.status());
        return true;
      })
      .otherwise(err -> {
        log.warning("could not settle interrupted order " + order.id() + " yet: " + Rpc.statusOf(err).name());
        return false;
      });
  }
}
