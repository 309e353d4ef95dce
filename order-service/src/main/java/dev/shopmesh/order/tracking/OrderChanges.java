package dev.shopmesh.order.tracking;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * Tells the streams of this process that an order changed (the payload is its id), so that
 * WatchOrder and TrackOrders answer at once. A change made by another replica process is not seen
 * here; the streams also poll for that.
 */
public final class OrderChanges {

  private static final String ADDRESS = "shopmesh.order.changed";

  private final Vertx vertx;

  public OrderChanges(Vertx vertx) {
    this.vertx = vertx;
  }

  public void changed(String orderId) {
    vertx.eventBus().publish(ADDRESS, orderId);
  }

  public MessageConsumer<String> subscribe(Handler<String> onChange) {
    return vertx.eventBus().<String>localConsumer(ADDRESS, msg -> onChange.handle(msg.body()));
  }
}
