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

import java.util.Optional;
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
  private int adding;
  /** Completes once every add so far has been looked up. */
  private Future<?> earlierAdds = Future.succeededFuture();
  private boolean halfClosed;
  private boolean ended;

  /** @param follower makes the follower that hands this call each new state */
  TrackOrdersCall(WriteStream<TrackOrdersResponse> response, Logger log, Function<Consumer<Order>, OrderFollower> follower) {
    this.response = response;
    this.log = log;
    this.follower = follower.apply(this::send);
    CallerGone.watch(response, this.follower::close);
  }

  void handle(TrackOrdersRequest change) {
    if (ended) {
      // Failed already (an unknown id): what the caller sends after that changes nothing.
      return;
    }
    switch (change.getChangeCase()) {
      case ADD_ORDER_ID -> add(change.getAddOrderId());
      case DROP_ORDER_ID -> {
        follower.drop(change.getDropOrderId());
        endOnceSettled();
      }
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
  }

  private void add(String id) {
    if (id.isEmpty()) {
      fail(Failure.invalid("addOrderId is required"));
      return;
    }
    adding++;
    Future<Optional<Order>> lookup = follower.add(id);
    // An add that fails ends the stream only once the adds before it are answered: looked up at
    // the same time, a later unknown id that came back first ended it, and the answer to an
    // earlier, valid add was never sent.
    Future<?> before = earlierAdds;
    earlierAdds = Future.join(before, lookup);
    lookup.onComplete(found -> {
      if (found.isPresent()) {
        adding--;
        endOnceSettled();
      } else {
        before.onComplete(v -> {
          adding--;
          fail(Failure.notFound("order '" + id + "' does not exist"));
        });
      }
    }, err -> before.onComplete(v -> {
      adding--;
      fail(err);
    }));
  }

  private void send(Order order) {
    if (ended) {
      return;
    }
    response.write(TrackOrdersResponse.newBuilder().setOrder(ProtoOrders.toProto(order)).build());
    endOnceSettled();
  }

  private void endOnceSettled() {
    if (halfClosed && adding == 0 && follower.settled() && !ended) {
      ended = true;
      follower.close();
      response.end();
    }
  }

  private void fail(Throwable err) {
    if (!ended) {
      ended = true;
      follower.close();
      Rpc.fail(log, "TrackOrders", response, err);
    }
  }
}
