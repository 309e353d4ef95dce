package dev.shopmesh.order.saga;

import dev.shopmesh.order.order.Order;
import dev.shopmesh.order.order.OrderStatus;
import dev.shopmesh.order.order.Rejection;
import dev.shopmesh.order.store.OrderStore;
import dev.shopmesh.platform.rpc.Rpc;
import io.vertx.core.Future;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Finishes sagas that were interrupted (a crash of the replica running them, a lost connection),
 * so that no order stays PENDING. Every order-service replica sweeps on a period for orders PENDING
 * for longer than any saga can take (well past the deadline of every call it makes). It claims each
 * such order (one claim wins, against the saga itself and other replicas), then compensates it:
 * refund by the charge's key, which also fences a charge still on its way (payment-service keeps a
 * tombstone, so a late charge charges nothing), release the stock, and reject the order. The card is
 * never stored, so an interrupted saga cannot be resumed; it is undone, and the money goes back.
 * The same sweep retries compensations that failed (payment or catalog down) until they succeed.
 */
public final class SagaRecovery {

  private final OrderStore store;
  private final Compensation compensation;
  private final long staleMillis;
  private final Logger log;

  public SagaRecovery(OrderStore store, Downstream downstream, long staleMillis, Logger log) {
    this.store = store;
    this.compensation = new Compensation(downstream, log);
    this.staleMillis = staleMillis;
    this.log = log;
  }

  /** Orders a pass takes on at most, of each kind (interrupted, owed a compensation). */
  static final int BATCH = 100;

  /** Passes a sweep makes at most, one after the other while each settles a whole batch. */
  static final int MAX_PASSES = 50;

  /**
   * Passes, each after the last while it settled a whole batch: one pass a sweep period, 1,728
   * orders owed a stock release after a burst took 4 minutes to settle, their stock held meanwhile
   * (and an audit failed). Completes with how many orders it finished compensating.
   */
  public Future<Integer> sweep() {
    return passes(0, 0).onFailure(err -> log.warning("saga recovery sweep failed, will retry: " + err));
  }

  private Future<Integer> passes(int done, int passes) {
    return pass().compose(settled -> settled < BATCH || passes + 1 >= MAX_PASSES
      ? Future.succeededFuture(done + settled) : passes(done + settled, passes + 1));
  }

  private Future<Integer> pass() {
    long before = System.currentTimeMillis() - staleMillis;
    // The interrupted sagas this sweep claims, then the compensations that failed a while ago.
    return store.pendingSince(before, BATCH)
      .compose(stale -> {
        Future<Map<String, Boolean>> chain = Future.succeededFuture(new LinkedHashMap<>());
        for (Order order : stale) {
          chain = chain.compose(claimed -> store.claimCompensation(order.id(), true, before).map(won -> {
            if (won) {
              log.info("claimed interrupted order " + order.id());
              claimed.put(order.id(), true);
            }
            return claimed;
          }));
        }
        return chain;
      })
      .compose(claimed -> store.owedCompensations(before, BATCH).map(owed -> {
        claimed.putAll(owed);
        return claimed;
      }))
      .compose(owed -> {
        Future<Integer> chain = Future.succeededFuture(0);
        for (var entry : owed.entrySet()) {
          chain = chain.compose(n -> compensate(entry.getKey(), entry.getValue()).map(done -> done ? n + 1 : n));
        }
        return chain;
      });
  }

  /** Finishes a compensation, and rejects the order if the saga that started it died before doing so. */
  private Future<Boolean> compensate(String id, boolean refund) {
    return compensation.run(id, refund)
      .compose(done -> !done ? Future.succeededFuture(false) : store.find(id)
        .compose(found -> store.finish(found.orElseThrow(), OrderStatus.REJECTED, null, Rejection.UNAVAILABLE,
          "interrupted; any charge refunded, stock released"))
        .compose(order -> store.compensated(id))
        .map(v -> {
          log.info("finished the owed compensation of order " + id);
          return true;
        }))
      .otherwise(err -> {
        log.warning("order " + id + ": owed compensation failed, will retry next sweep: " + Rpc.statusOf(err).name() + " "
          + Rpc.toStatus(err).message());
        return false;
      });
  }
}
