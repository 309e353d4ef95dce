package dev.shopmesh.order.tracking;

import dev.shopmesh.order.order.Order;
import dev.shopmesh.order.store.OrderStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Follows a set of orders for one stream and hands on each state it has not handed on yet: at
 * once for changes {@link OrderChanges} hears of (this process's, and on PostgreSQL every
 * process's), within one poll period for the others. Runs on the stream's event loop; not shared between streams.
 */
public final class OrderFollower {

  private final Vertx vertx;
  private final OrderStore store;
  private final Consumer<Order> onState;
  private final Map<String, String> lastSent = new HashMap<>();
  /** Adds not answered yet, by id. */
  private final Map<String, Integer> owedAnswers = new HashMap<>();
  /** Runs to stop hearing of changes. */
  private final Runnable unsubscribe;
  private final long timer;

  public OrderFollower(Vertx vertx, OrderStore store, OrderChanges orderChanges, long pollMillis, Consumer<Order> onState) {
    this.vertx = vertx;
    this.store = store;
    this.onState = onState;
    this.unsubscribe = orderChanges.subscribe(id -> {
      if (lastSent.containsKey(id)) {
        refresh(id);
      }
    });
    this.timer = vertx.setPeriodic(pollMillis, t -> Map.copyOf(lastSent).keySet().forEach(this::refresh));
  }

  /**
   * Starts following {@code id}, and hands on its current state once more for each time it is
   * added, followed already or final: an add is answered (it was not, for an id followed already,
   * or added twice before the first add's read came back). Completes with that state (empty when
   * unknown, not followed then).
   */
  public Future<Optional<Order>> add(String id) {
    lastSent.putIfAbsent(id, "");
    owedAnswers.merge(id, 1, Integer::sum);
    return refresh(id).onSuccess(found -> {
      if (found.isEmpty()) {
        lastSent.remove(id);
        owedAnswers.remove(id);
      }
    });
  }

  public void drop(String id) {
    lastSent.remove(id);
    owedAnswers.remove(id);
  }

  /** Whether every order added was final when last handed on (or dropped): none can change any more. */
  public boolean settled() {
    return lastSent.isEmpty();
  }

  private Future<Optional<Order>> refresh(String id) {
    return store.find(id).onSuccess(found -> found.ifPresent(order -> {
      String sent = lastSent.get(id);
      String version = order.status() + "@" + order.updatedAtMillis();
      boolean answersAnAdd = owedAnswers.computeIfPresent(id, (key, owed) -> owed - 1) != null;
      owedAnswers.remove(id, 0);
      if (answersAnAdd || sent != null && !sent.equals(version)) {
        // A final order changes no more: it is handed on, and no longer followed.
        if (order.isFinal()) {
          lastSent.remove(id);
        } else if (sent != null) {
          lastSent.put(id, version);
        }
        onState.accept(order);
      }
    }));
  }

  /**
   * The order once final, or as it stands after {@code maxWaitMillis}: what a replayed PlaceOrder
   * answers while the first call with its key is still running.
   */
  public static Future<Order> untilFinal(Vertx vertx, OrderStore store, OrderChanges changes, Order current,
                                         long pollMillis, long maxWaitMillis) {
    if (current.isFinal()) {
      return Future.succeededFuture(current);
    }
    Promise<Order> done = Promise.promise();
    Order[] latest = {current};
    OrderFollower follower = new OrderFollower(vertx, store, changes, pollMillis, order -> {
      latest[0] = order;
      if (order.isFinal()) {
        done.tryComplete(order);
      }
    });
    long timer = vertx.setTimer(maxWaitMillis, t -> done.tryComplete(latest[0]));
    follower.add(current.id());
    return done.future().andThen(ar -> {
      vertx.cancelTimer(timer);
      follower.close();
    });
  }

  public void close() {
    unsubscribe.run();
    vertx.cancelTimer(timer);
    lastSent.clear();
    owedAnswers.clear();
  }
}
