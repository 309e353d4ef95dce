package dev.shopmesh.order.saga;

import dev.shopmesh.order.order.NewOrder;
import dev.shopmesh.order.order.Order;
import dev.shopmesh.order.order.OrderLine;
import dev.shopmesh.order.order.OrderRules;
import dev.shopmesh.order.order.OrderStatus;
import dev.shopmesh.order.order.Priced;
import dev.shopmesh.order.order.Rejection;
import dev.shopmesh.order.store.OrderStore;
import dev.shopmesh.order.store.StoredOrder;
import dev.shopmesh.platform.db.Database;
import dev.shopmesh.platform.error.Failure;
import dev.shopmesh.platform.rpc.NotSent;
import dev.shopmesh.platform.rpc.Rpc;
import dev.shopmesh.proto.catalog.v1.ReserveStockResponse;
import dev.shopmesh.proto.catalog.v1.ReservedLine;
import dev.shopmesh.proto.payment.v1.Charge;
import dev.shopmesh.proto.payment.v1.ChargeStatus;
import dev.shopmesh.order.tracking.OrderChanges;
import dev.shopmesh.order.tracking.OrderFollower;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;

import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Places an order, each step persisted where it happens: PENDING (with its idempotency key, here) →
 * stock reserved and priced (catalog-service) → charged (payment-service) → CONFIRMED with its
 * priced lines (here). A failed step runs the compensations of the steps before it
 * (release the stock; refund a charge whose answer was lost) and ends the order REJECTED with the
 * reason. The answer is always the order as stored; {@code OrderGrpc} decides how to report it.
 */
public final class PlaceOrderSaga {

  private final Vertx vertx;
  private final OrderStore store;
  private final OrderChanges changes;
  private final Downstream downstream;
  private final Compensation compensation;
  private final long replayWaitMillis;
  private final Logger log;

  /** @param replayWaitMillis how long a replay waits for the first call with its key to finish */
  public PlaceOrderSaga(Vertx vertx, OrderStore store, OrderChanges changes, Downstream downstream,
                        long replayWaitMillis, Logger log) {
    this.vertx = vertx;
    this.store = store;
    this.changes = changes;
    this.downstream = downstream;
    this.compensation = new Compensation(downstream, log);
    this.replayWaitMillis = replayWaitMillis;
    this.log = log;
  }

  public Future<Order> place(NewOrder request) {
    return place(request, true);
  }

  /**
   * @param firstTry whether this call may still try again: start a new attempt under a key whose
   *                 outage is over, or insert again when its key was given back meanwhile (once per call)
   */
  private Future<Order> place(NewOrder asked, boolean firstTry) {
    NewOrder request = OrderRules.check(asked);
    String id = UUID.randomUUID().toString();
    // The insert is the key check: a key already stored (a retry, or a first call racing this one)
    // stores nothing, and this call answers that order instead. One statement for the common case.
    // No order under the key although the insert found one: a concurrent retry gave it back (its
    // outage was over) between the two statements, and is inserting its own; inserted again, this
    // call answers that one.
    return store.insertPending(id, request, System.currentTimeMillis()).compose(inserted -> inserted
      .map(placed -> reserve(placed, request))
      .orElseGet(() -> store.findByKey(request.idempotencyKey()).compose(first -> first
        .map(stored -> replay(stored, asked, request, firstTry))
        .orElseGet(() -> firstTry ? place(request, false) : Future.failedFuture(keyInFlux(request))))));
  }

  /** A key given back and taken again twice while this call looked: rare, and worth sending again. */
  private static Failure keyInFlux(NewOrder request) {
    return new Failure(Failure.Kind.ABORTED, "the idempotency key '" + request.idempotencyKey()
      + "' changed hands while this request was placed; send it again");
  }

  /**
   * The first call's result; while that call is still running, its result once it ends. A first
   * call refused for an outage that owes nothing more is not an outcome to keep: this call places
   * the order anew, under the same key, as a client retrying a 503 expects.
   */
  private Future<Order> replay(StoredOrder stored, NewOrder asked, NewOrder request, boolean firstTry) {
    // Either form: orders stored before lines of one product were merged kept their lines' own.
    if (!stored.fingerprint().equals(request.fingerprint()) && !stored.fingerprint().equals(asked.fingerprint())) {
      // "idempotency key", not the gRPC field's name: HTTP callers send it as a header.
      return Future.failedFuture(Failure.conflict("the idempotency key '" + request.idempotencyKey()
        + "' was already used for a different order (" + stored.order().id() + "): a key stands for one order, its customer,"
        + " items and payment as first sent; send a changed order under a new key"));
    }
    if (firstTry && stored.outageOver()) {
      // Racing retries: one insert wins the key, the others replay its attempt.
      return store.releaseKey(stored.order().id()).compose(v -> place(request, false));
    }
    return OrderFollower.untilFinal(vertx, store, changes, stored.order(), 100, replayWaitMillis);
  }

  private Future<Order> reserve(Order placed, NewOrder request) {
    String id = placed.id();
    return downstream.reserve(id, request).transform(ar -> {
      if (ar.succeeded()) {
        return priced(placed, request, ar.result());
      }
      GrpcStatus status = Rpc.statusOf(ar.cause());
      String message = Rpc.toStatus(ar.cause()).message();
      return switch (status) {
        case NOT_FOUND -> reject(placed, null, Rejection.INVALID_INPUT, unknownProduct(request, message));
        case INVALID_ARGUMENT -> reject(placed, null, Rejection.INVALID_INPUT, message);
        case FAILED_PRECONDITION -> reject(placed, null, Rejection.OUT_OF_STOCK, message);
        // The reservation may have been made before the failure: release it (idempotent); not
        // when no replica got it (its circuit open, none registered or reachable): that release
        // would fail the same way, and be logged and retried by the sweep for every order.
        default -> (NotSent.is(ar.cause()) ? Future.succeededFuture(true) : compensate(id, false))
          .compose(done -> reject(placed, null, outage(status), unanswered(Downstream.CATALOG, message)
            + (NotSent.is(ar.cause()) ? "; nothing was charged, no stock was taken" : "; nothing was charged")));
      };
    });
  }

  private Future<Order> priced(Order placed, NewOrder request, ReserveStockResponse reserved) {
    String id = placed.id();
    List<ReservedLine> lines = reserved.getLinesList();
    String currency = lines.get(0).getCurrency();
    if (lines.stream().anyMatch(l -> !l.getCurrency().equals(currency))) {
      return compensate(id, false).compose(v ->
        reject(placed, null, Rejection.INVALID_INPUT, "items: products priced in different currencies cannot share an order"));
    }
    long total = lines.stream().mapToLong(l -> Math.multiplyExact(l.getUnitPriceCents(), (long) l.getQuantity())).sum();
    List<OrderLine> orderLines = lines.stream()
      .map(l -> new OrderLine(l.getProductId(), l.getName(), l.getQuantity(), l.getUnitPriceCents())).toList();
    // Not stored yet: the prices are written with the final status (one commit fewer per order). An
    // interrupted saga is compensated whatever its prices, so nothing needs them before that.
    return charge(placed, request, new Priced(orderLines, total, currency));
  }

  private Future<Order> charge(Order placed, NewOrder request, Priced priced) {
    String id = placed.id();
    return downstream.charge(id, priced.totalCents(), priced.currency(), request.card()).transform(ar -> {
      if (ar.succeeded()) {
        Charge charge = ar.result().getCharge();
        if (charge.getStatus() == ChargeStatus.CHARGE_STATUS_APPROVED) {
          return written(() -> store.confirm(placed, priced), 1);
        }
        return compensate(id, false).compose(v ->
          reject(placed, priced, Rejection.PAYMENT_DECLINED, "payment declined: " + charge.getDeclineReason()));
      }
      GrpcStatus status = Rpc.statusOf(ar.cause());
      String message = Rpc.toStatus(ar.cause()).message();
      if (status == GrpcStatus.INVALID_ARGUMENT) {
        // payment-service names card fields "card.x"; our callers sent them as "payment.x".
        String field = message.replaceFirst("^card\\.", "payment.");
        return compensate(id, false).compose(done -> reject(placed, priced, Rejection.INVALID_INPUT, field));
      }
      if (NotSent.is(ar.cause())) {
        // No replica got the charge (the circuit is open, none is registered or reachable).
        return compensate(id, false).compose(done -> reject(placed, priced, outage(status),
          unanswered(Downstream.PAYMENT, message) + "; nothing was charged" + (done ? ", stock released"
            : "; the stock's release is retried until it succeeds")));
      }
      // The charge may have gone through with its answer lost: refund it by its key, then release.
      return compensate(id, true).compose(done -> reject(placed, priced, outage(status),
        unanswered(Downstream.PAYMENT, message) + (done ? "; any charge refunded, stock released"
          : "; the refund of any charge and the stock's release are retried until they succeed")));
    });
  }

  /**
   * catalog-service's "product 'x' does not exist", prefixed with the field the caller sent it in:
   * {@code items[1].productId}, the first line that names that product.
   */
  private static String unknownProduct(NewOrder request, String message) {
    for (int i = 0; i < request.items().size(); i++) {
      if (message.contains("'" + request.items().get(i).productId() + "'")) {
        return "items[" + i + "].productId: " + message;
      }
    }
    return "items: " + message;
  }

  private static Rejection outage(GrpcStatus status) {
    return status == GrpcStatus.DEADLINE_EXCEEDED ? Rejection.TIMEOUT : Rejection.UNAVAILABLE;
  }

  /** What the service's failure said (its own words, or the mesh client's), naming the service. */
  private static String unanswered(String service, String message) {
    return message.contains(service) ? message : service + ": " + message;
  }

  /**
   * Refunds (when a charge may exist) and releases the stock, once this saga holds the claim to do
   * so: if the recovery sweep claimed the order first (it took this saga for dead), the sweep
   * compensates and this saga leaves it alone. Both steps are idempotent and both are tried even if
   * the other fails; the claim is released once both succeeded, otherwise the sweep retries them.
   * Answers whether this saga finished them (what the client is told).
   */
  private Future<Boolean> compensate(String id, boolean refund) {
    return store.claimCompensation(id, refund, Long.MAX_VALUE).compose(claimed -> !claimed ? Future.succeededFuture(false)
      : compensation.run(id, refund).compose(done -> done ? store.compensated(id).map(true) : Future.succeededFuture(false)));
  }

  /** @param priced the priced lines, or null if catalog-service did not price them */
  private Future<Order> reject(Order placed, Priced priced, Rejection rejection, String reason) {
    return written(() -> store.finish(placed, OrderStatus.REJECTED, priced, rejection, reason), 1);
  }

  /** Tries of an order's outcome while its database is unavailable; 250, 500, then 1000 ms apart. */
  static final int OUTCOME_TRIES = 4;

  /**
   * An order's outcome written, tried again while the database is briefly unavailable (restarting,
   * out of connections, a conflict rolled back). Its steps are done by then, a charge perhaps made:
   * an outcome not written left the order PENDING, its key answering "still being placed", until
   * the sweep took it for an interrupted saga after SHOPMESH_SAGA_STALE_MS and refunded it (56
   * orders of a run against a PostgreSQL short of connections). The write is guarded, a PENDING
   * order only, so a try after one whose answer was lost finds the order as stored. Not tried again
   * when this replica stops (its pool closed for good) nor when no connection came free within the
   * wait (each try would wait that long again, adding to the queue).
   */
  private Future<Order> written(Supplier<Future<Order>> write, int attempt) {
    return write.get().recover(err -> {
      GrpcStatus status = Rpc.statusOf(err);
      if (attempt >= OUTCOME_TRIES || status != GrpcStatus.UNAVAILABLE && status != GrpcStatus.ABORTED || Database.worthNoRetry(err)) {
        return Future.failedFuture(err);
      }
      return vertx.timer(250L << (attempt - 1)).compose(v -> written(write, attempt + 1));
    });
  }
}
