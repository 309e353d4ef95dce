package dev.shopmesh.order.api;

import dev.shopmesh.order.order.Order;
import dev.shopmesh.order.tracking.OrderFollower;
import dev.shopmesh.platform.error.Failure;
import dev.shopmesh.platform.rpc.CallerGone;
import dev.shopmesh.platform.rpc.Rpc;
import dev.shopmesh.proto.order.v1.TrackOrdersRequest;
import dev.shopmesh.proto.order.v1.TrackOrdersResponse;
import io.vertx.core.Future;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.common.GrpcWriteStream;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * One TrackOrders call: each order the caller adds is answered with its current state, then its
 * changes. Once the caller half-closes (it will add no more), the stream ends when every order it
 * still follows is final, as WatchOrder's does; ending it at once would drop the answers to adds
 * still being looked up. An unknown id ends it with NOT_FOUND naming the id. Runs on the call's
 * event loop.
 */
final class TrackOrdersCall {

  private final WriteStream<TrackOrdersResponse> response;
  private final Logger log;
  private final OrderFollower follower;
  /** The adds not settled yet, in the order they came ({@link #settleLookups}). */
  private final Deque<Lookup> lookups = new ArrayDeque<>();
  private boolean halfClosed;
  private boolean ended;
  /** The streams open on this replica, this one among them until it ends. */
  private final Set<Runnable> open;
  /** Ends this stream for a replica that stops ({@link OrderGrpc#endStreams}). */
  private final Runnable stopping;
  private final CallerGone caller;

  /**
   * @param follower makes the follower that hands this call each new state
   * @param open     the streams open on this replica, this one among them until it ends
   *                 ({@link OrderGrpc#endStreams})
   */
  TrackOrdersCall(WriteStream<TrackOrdersResponse> response, Logger log, Function<Consumer<Order>, OrderFollower> follower,
                  Set<Runnable> open) {
    this.response = response;
    this.log = log;
    this.follower = follower.apply(this::send);
    this.open = open;
    this.stopping = () -> {
      fail(OrderGrpc.stopping());
      // The caller's side stays open until the caller closes it (a Vert.x client does not on a
      // status): reset after the status, so the stopping replica's drain need not wait out its grace.
      if (response instanceof GrpcWriteStream<?> grpc) {
        grpc.cancel();
      }
    };
    open.add(stopping);
    caller = CallerGone.watch(response, this::close);
  }

  void handle(TrackOrdersRequest change) {
    if (ended) {
      // Failed already (an unknown id): what the caller sends after that changes nothing.
      return;
    }
    switch (change.getChangeCase()) {
      case ADD_ORDER_ID -> add(change.getAddOrderId());
      // Nothing ends here: a change comes before the caller half-closes, and only then can the stream end.
      case DROP_ORDER_ID -> follower.drop(change.getDropOrderId());
      default -> {
        // An empty change is a keep-alive; nothing to do.
      }
    }
  }

  void halfClosed() {
    halfClosed = true;
    endOnceSettled();
  }

  void close() {
    follower.close();
    open.remove(stopping);
  }

  private void add(String id) {
    if (id.isEmpty()) {
      fail(Failure.invalid("addOrderId is required"));
      return;
    }
    Lookup lookup = new Lookup(id, follower.add(id));
    lookups.add(lookup);
    lookup.found().onComplete(done -> settleLookups());
  }

  /**
   * Takes the adds looked up, in the order they came, up to the first still being looked up. A
   * failed one ends the stream only once those before it are answered: looked up at the same time,
   * a later unknown id that came back first ended it, and the answer to an earlier, valid add was
   * never sent.
   */
  private void settleLookups() {
    while (!ended && !lookups.isEmpty() && lookups.peek().found().isComplete()) {
      Lookup done = lookups.poll();
      if (done.found().failed()) {
        fail(done.found().cause());
      } else if (done.found().result().isEmpty()) {
        fail(Failure.notFound("order '" + done.id() + "' does not exist"));
      }
    }
    endOnceSettled();
  }

  /** An add being looked up: answered by the follower once found. */
  private record Lookup(String id, Future<Optional<Order>> found) {
  }

  private void send(Order order) {
    // A caller gone is told on a later turn: a state looked up meanwhile is not written to its closed stream.
    if (ended || caller.gone()) {
      return;
    }
    response.write(TrackOrdersResponse.newBuilder().setOrder(ProtoOrders.toProto(order)).build());
    endOnceSettled();
  }

  private void endOnceSettled() {
    if (halfClosed && lookups.isEmpty() && follower.settled() && !ended && !caller.gone()) {
      ended = true;
      close();
      response.end();
    }
  }

  private void fail(Throwable err) {
    if (!ended && !caller.gone()) {
      ended = true;
      close();
      Rpc.fail(log, "TrackOrders", response, err);
    }
  }
}
