package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.log.Logs;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * A client's circuit breaker for each service it calls: after {@code SHOPMESH_CIRCUIT_FAILURES}
 * calls in a row within 10 s that the service left unanswered (Vert.x's breaker clears its count
 * on any success: one replica of several dying does not open it), calls to it fail at once
 * ({@link OpenCircuitException}) until a health check finds a replica of it ready, or a trial call
 * goes through. Which failures count is the caller's to say ({@link #isFault}).
 */
final class Circuits {

  private static final Logger LOG = Logs.logger("circuit");

  /** A call given less than this (or than the default deadline, if shorter) that times out is not held against its service. */
  static final long FAULT_FLOOR_MILLIS = 1_000;

  /** Statuses that say the service called is failing, as opposed to the request. */
  private static final Set<GrpcStatus> FAULTS = Set.of(GrpcStatus.UNAVAILABLE, GrpcStatus.DEADLINE_EXCEEDED,
    GrpcStatus.INTERNAL, GrpcStatus.UNKNOWN);

  private final Vertx vertx;
  private final LbSettings lb;
  private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
  /** The services whose circuit is open, for saying once that it opened, and once that it closed. */
  private final Set<String> open = ConcurrentHashMap.newKeySet();

  Circuits(Vertx vertx, LbSettings lb) {
    this.vertx = vertx;
    this.lb = lb;
  }

  /**
   * Whether a call's failure says its service is failing. A caller can send any deadline, 1 ms
   * included: a call that ran out of one too short to tell a slow service from a healthy one
   * ({@link #FAULT_FLOOR_MILLIS}) does not count against the service, or any client could open its
   * circuit for everyone.
   *
   * @param givenMillis the time the call was given; {@code defaultMillis}, the default deadline
   */
  static boolean isFault(Throwable err, long givenMillis, long defaultMillis) {
    GrpcStatus status = Rpc.statusOf(err);
    return FAULTS.contains(status)
      && (status != GrpcStatus.DEADLINE_EXCEEDED || givenMillis >= Math.min(FAULT_FLOOR_MILLIS, defaultMillis));
  }

  /**
   * Runs {@code call} in {@code service}'s circuit: its failures that {@code fault} says are the
   * service's count against the circuit; every outcome reaches the caller as it is. Fails with
   * {@link OpenCircuitException}, without running it, while the circuit is open.
   */
  <T> Future<T> run(String service, Supplier<Future<T>> call, Predicate<Throwable> fault) {
    return breakers.computeIfAbsent(service, this::breaker)
      .<AsyncResult<T>>execute(outcome -> call.get().onComplete(ar -> {
        if (ar.failed() && fault.test(ar.cause())) {
          outcome.fail(ar.cause());
        } else {
          outcome.complete(ar);
        }
      }))
      .compose(ar -> ar.succeeded() ? Future.succeededFuture(ar.result()) : Future.failedFuture(ar.cause()));
  }

  /**
   * Closes {@code service}'s circuit after a health check passed on one of its replicas: at once if
   * that replica was not ready before (with one replica, back 1 s after a crash, the circuit its
   * absence opened went on failing every call for the rest of SHOPMESH_CIRCUIT_RESET_MS); and once
   * the reset time is over (half open), whatever the replica was. Half open, Vert.x lets one trial
   * call through and fails all others until it ends: the first burst after a quiet spell lost 199
   * of 200 orders to a circuit its service, healthy all along, had opened 20 s before.
   */
  void checkPassed(String service, boolean readyAgain) {
    CircuitBreaker breaker = breakers.get(service);
    CircuitBreakerState state = breaker == null ? null : breaker.state();
    // Vert.x's reset() leaves an open circuit open: a closed one takes its place.
    if ((state == CircuitBreakerState.OPEN && readyAgain || state == CircuitBreakerState.HALF_OPEN)
      && breakers.remove(service, breaker)) {
      breaker.close();
      if (open.remove(service)) {
        LOG.info("circuit to " + service + " closed: a health check found a replica of it ready");
      }
    }
  }

  void close() {
    breakers.values().forEach(CircuitBreaker::close);
  }

  /**
   * A circuit's opening and closing, once each, for the operator: each call it fails says only that
   * it is open, and nothing said when it opened, or why, or that it had closed again.
   */
  private CircuitBreaker breaker(String service) {
    return CircuitBreaker.create(service, vertx, new CircuitBreakerOptions()
      .setMaxFailures(lb.circuitFailures())
      .setResetTimeout(lb.circuitResetMillis())
      // Deadlines bound each call already; the breaker only counts.
      .setTimeout(-1)
      .setNotificationAddress(null))
      // Vert.x calls the open handler again each time a trial call fails: said once, when it opens.
      .openHandler(v -> {
        if (open.add(service)) {
          LOG.warning("circuit to " + service + " opened: " + lb.circuitFailures() + " calls in a row failed within 10 s"
            + " (no replica, no connection, or no answer within the deadline); calls to it fail at once, one let through"
            + " every " + lb.circuitResetMillis() + " ms to try it");
        }
      })
      .closeHandler(v -> {
        if (open.remove(service)) {
          LOG.info("circuit to " + service + " closed: a call went through");
        }
      });
  }
}
