package dev.shopmesh.bench.orders;

import dev.shopmesh.platform.rpc.Rpc;
import dev.shopmesh.proto.order.v1.Order;
import dev.shopmesh.proto.order.v1.OrderStatus;
import dev.shopmesh.proto.order.v1.PlaceOrderResponse;
import dev.shopmesh.proto.order.v1.Rejection;
import io.vertx.grpc.client.InvalidStatusException;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;

import java.util.EnumSet;
import java.util.Set;

/**
 * How one PlaceOrder ended. Only a CONFIRMED order is a success; every other end is an error, of
 * one of two kinds:
 * <ul>
 *   <li>{@link Kind#OVERLOAD}: what a mesh given more than it can do answers: a deadline exceeded,
 *   a dependency unavailable, an order rejected for either, or a call the load generator did not
 *   send because too many were in flight already. In a ramp step beyond the sustainable rate these
 *   are the measurement itself; anywhere else they fail the run;</li>
 *   <li>{@link Kind#WRONG}: anything else (an order rejected out of stock, a payment declined, bad
 *   input, an internal error): the benchmark or the mesh is broken; always fails the run.</li>
 * </ul>
 *
 * @param problem what to report, the same text for the same cause (so they can be counted); null
 *                for a confirmed order
 */
public record Outcome(Kind kind, String problem) {

  public enum Kind { CONFIRMED, OVERLOAD, WRONG }

  public static final Outcome CONFIRMED = new Outcome(Kind.CONFIRMED, null);

  private static final Set<GrpcStatus> OVERLOAD_STATUSES = EnumSet.of(GrpcStatus.DEADLINE_EXCEEDED,
    GrpcStatus.UNAVAILABLE, GrpcStatus.RESOURCE_EXHAUSTED, GrpcStatus.CANCELLED);
  private static final Set<Rejection> OVERLOAD_REJECTIONS = EnumSet.of(Rejection.REJECTION_TIMEOUT,
    Rejection.REJECTION_UNAVAILABLE);
  private static final int SHOWN = 160;

  /** An answer with status OK: confirmed, or an order in any other state. */
  public static Outcome of(PlaceOrderResponse response) {
    Order order = response.getOrder();
    if (order.getStatus() == OrderStatus.ORDER_STATUS_CONFIRMED) {
      return CONFIRMED;
    }
    String state = "order " + order.getStatus().name().replace("ORDER_STATUS_", "");
    if (order.getStatus() == OrderStatus.ORDER_STATUS_REJECTED) {
      // The reason names order ids and figures: only the rejection is counted as the same problem.
      String problem = state + " (" + order.getRejection().name().replace("REJECTION_", "") + ")";
      return new Outcome(OVERLOAD_REJECTIONS.contains(order.getRejection()) ? Kind.OVERLOAD : Kind.WRONG, problem);
    }
    return new Outcome(Kind.WRONG, state);
  }

  /** A failed call: its gRPC status decides (a refused or reset connection is UNAVAILABLE). */
  public static Outcome of(Throwable err) {
    GrpcStatus status = Rpc.statusOf(err);
    String problem = "gRPC " + status.name();
    // The client reports a status it was answered without its message; other failures have one.
    String message = err instanceof StatusException se ? se.message() : err instanceof InvalidStatusException ? null : err.getMessage();
    if (message != null && !OVERLOAD_STATUSES.contains(status)) {
      problem += ": " + cut(message);
    }
    return new Outcome(OVERLOAD_STATUSES.contains(status) ? Kind.OVERLOAD : Kind.WRONG, problem);
  }

  /** A call the load generator did not send: {@code limit} calls were in flight already. */
  public static Outcome notSent(int limit) {
    return new Outcome(Kind.OVERLOAD, "not sent: " + limit + " calls already in flight");
  }

  private static String cut(String text) {
    String line = text.replace('\n', ' ');
    return line.length() <= SHOWN ? line : line.substring(0, SHOWN) + "…";
  }
}
