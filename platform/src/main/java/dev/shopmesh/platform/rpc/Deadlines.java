package dev.shopmesh.platform.rpc;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcLocal;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * When an outgoing call must end, what its running out of time is called, and the backstop that
 * ends it when Vert.x does not: the deadline policy of {@link MeshClient}, in one place.
 */
final class Deadlines {

  /** How long past its deadline a call whose end Vert.x lost is failed anyway. */
  static final long BACKSTOP_MILLIS = 250;

  /** A caller's deadline this much shorter than a hop's own is the same deadline, less the time it took to arrive. */
  private static final long TRAVEL_MILLIS = 50;

  private Deadlines() {
  }

  /**
   * When a call made now must end: the deadline inherited from the request being served, but no
   * later than {@code maxMillis} from now, so a caller's generous deadline cannot hold a hop, or
   * the saga it runs, longer than this service allows.
   */
  static long of(Vertx vertx, long now, long maxMillis) {
    GrpcLocal inherited = inherited(vertx);
    return inherited == null ? now + maxMillis : Math.min(inherited.deadline().toEpochMilli(), now + maxMillis);
  }

  /** The deadline of the request being served on this context, if it has one (propagation is on in {@link MeshServer}). */
  static GrpcLocal inherited(Vertx vertx) {
    return ((ContextInternal) vertx.getOrCreateContext()).getLocal(GrpcLocal.CONTEXT_LOCAL_KEY);
  }

  /**
   * What this hop makes of its own timeouts (never of a status the service answered): a deadline
   * that passed is said to be the caller's when the caller's was the shorter, by more than the
   * time a call takes to travel. An order placed with a 10 ms deadline was stored as
   * "catalog-service did not answer within the deadline", which reads as catalog-service being slow.
   */
  static UnaryOperator<Throwable> ownTimeout(long remainingMillis, long ownMillis) {
    if (remainingMillis >= ownMillis - TRAVEL_MILLIS) {
      return err -> err;
    }
    // A deadline that had passed before the call was "the caller's deadline, -3 ms".
    String whose = remainingMillis > 0 ? " (the caller's deadline, " + remainingMillis + " ms)" : " (the caller's deadline, already passed)";
    return err -> err instanceof StatusException status && status.status() == GrpcStatus.DEADLINE_EXCEEDED
      ? new StatusException(GrpcStatus.DEADLINE_EXCEEDED, status.message() + whose)
      : err;
  }

  /**
   * {@code answer}, failed with a {@link TimeoutException} just past {@code deadline} (the call's,
   * which is set) and its call cancelled: Vert.x 5.0.7 can lose a call's end when its deadline
   * cancel races the server's own deadline reset (the cancel's reset fails, and nothing fails the
   * response), so no call outlives its deadline by more than the backstop.
   */
  static <T> Future<T> backstopped(Future<T> answer, GrpcClientRequest<?, ?> req, long deadline) {
    long left = Math.max(1, deadline - System.currentTimeMillis());
    return answer.timeout(left + BACKSTOP_MILLIS, TimeUnit.MILLISECONDS).onFailure(err -> {
      if (err instanceof TimeoutException) {
        MeshGrpcClient.cancel(req);
      }
    });
  }

  /** No connection to a replica of {@code service}, or no stream free on one, within the deadline. */
  static StatusException noConnection(String service) {
    return new StatusException(GrpcStatus.DEADLINE_EXCEEDED, "no connection to " + service + " within the deadline");
  }

  static StatusException passedBeforeCalling(String service) {
    return new StatusException(GrpcStatus.DEADLINE_EXCEEDED, "deadline exceeded before calling " + service);
  }

  /**
   * Whether {@code answer} is the callee giving up on the deadline this call sent it: Vert.x's
   * server answers that DEADLINE_EXCEEDED without a message, where the mesh's own answers always
   * say what ran out. It is this call's deadline too, whichever end's timer fired first; on a busy
   * machine the callee's sometimes did, and a payment-service that took too long was stored as
   * "payment-service: deadline exceeded" instead of "did not answer within the deadline".
   */
  static boolean ranOutThere(Throwable answer) {
    return answer instanceof StatusException status && status.status() == GrpcStatus.DEADLINE_EXCEEDED
      && (status.message() == null || status.message().isEmpty());
  }

  static StatusException noAnswer(String service) {
    return new StatusException(GrpcStatus.DEADLINE_EXCEEDED, service + " did not answer within the deadline");
  }
}
