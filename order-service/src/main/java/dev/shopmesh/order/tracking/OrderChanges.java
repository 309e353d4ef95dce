package dev.shopmesh.order.tracking;

import dev.shopmesh.platform.db.Database;
import dev.shopmesh.platform.log.Logs;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.pgclient.pubsub.PgSubscriber;

import java.util.UUID;
import java.util.logging.Logger;

/**
 * Tells the streams that follow orders (WatchOrder, TrackOrders, a replayed PlaceOrder) that an
 * order changed, so that they answer at once. A change made in this process reaches every replica
 * of it over the event bus (the payload is the order's id). On PostgreSQL a change made by a replica
 * in another process arrives too, as a notification ({@code LISTEN}/{@code NOTIFY}): with
 * {@code --scale order-service=3}, a stream on one replica heard of an order settled on another
 * only when it next polled. The streams poll all the same, for what a notification cannot carry:
 * changes made while the listening connection was down, and the embedded store's other processes.
 */
public final class OrderChanges {

  private static final Logger LOG = Logs.logger("order.changes");
  private static final String ADDRESS = "shopmesh.order.changed";
  /** PostgreSQL's channel for the changes, shared by every process on one database. */
  public static final String CHANNEL = "shopmesh_order_changed";
  /** How long a replica waits before trying again to listen, after PostgreSQL refused or dropped the connection. */
  static final long RELISTEN_MILLIS = 1_000;

  private final Vertx vertx;
  /**
   * This Vert.x instance, as a notification's sender: the process's replicas share one event bus,
   * which told them already.
   */
  private final String origin;
  /** Where this replica's streams hear of other processes' changes: each replica listens for its own. */
  private final String fromElsewhere = ADDRESS + "." + UUID.randomUUID();
  /** Null on the embedded store. */
  private final Database database;
  private PgSubscriber subscriber;
  /** Whether the log says this replica cannot listen yet: once, not at every try. */
  private boolean toldNotListening;

  /** Changes within this process only, as on the embedded store. */
  public OrderChanges(Vertx vertx) {
    this(vertx, null);
  }

  /** Changes within this process, and on PostgreSQL those of every process on {@code database} too ({@link #listen}). */
  public OrderChanges(Vertx vertx, Database database) {
    this.vertx = vertx;
    this.database = database == null || database.embedded() ? null : database;
    LocalMap<String, String> process = vertx.sharedData().getLocalMap(ADDRESS);
    process.putIfAbsent("origin", UUID.randomUUID().toString());
    this.origin = process.get("origin");
  }

  /**
   * Tells this process's streams that {@code orderId} changed. Other processes' are told by the
   * statement that changed it, on PostgreSQL: {@code pg_notify(CHANNEL, origin() || ' ' || id)},
   * sent with its commit.
   */
  public void changed(String orderId) {
    vertx.eventBus().publish(ADDRESS, orderId);
  }

  /** Who sends a notification, for the statements that notify: this process, which its own streams need not hear from. */
  public String origin() {
    return origin;
  }

  /** Calls {@code onChange} with the id of each order changed, on the caller's event loop, until the returned task runs. */
  public Runnable subscribe(Handler<String> onChange) {
    MessageConsumer<String> here = vertx.eventBus().localConsumer(ADDRESS, msg -> onChange.handle(msg.body()));
    MessageConsumer<String> elsewhere = vertx.eventBus().localConsumer(fromElsewhere, msg -> onChange.handle(msg.body()));
    return () -> {
      here.unregister();
      elsewhere.unregister();
    };
  }

  /**
   * Starts hearing of other processes' changes, on PostgreSQL. Completes once the first try ends,
   * listening or not: one that failed is tried again every {@link #RELISTEN_MILLIS}, the streams
   * polling meanwhile, and a replica serves without it.
   */
  public Future<Void> listen() {
    if (database == null) {
      return Future.succeededFuture();
    }
    Promise<Void> tried = Promise.promise();
    listenAgain(tried);
    return tried.future();
  }

  /**
   * A new subscriber each try: Vert.x 5.0.7's does not connect again once its first connection
   * failed. Once connected, it connects again by itself when the connection drops (PostgreSQL
   * restarting), listening again.
   */
  private void listenAgain(Promise<Void> tried) {
    PgSubscriber current = PgSubscriber.subscriber(vertx, database.postgresOptions()).reconnectPolicy(retries -> RELISTEN_MILLIS);
    current.channel(CHANNEL).handler(this::heard);
    subscriber = current;
    current.connect().onSuccess(listening -> toldNotListening = false).onFailure(err -> {
      current.close();
      if (subscriber == current) {
        if (!toldNotListening) {
          toldNotListening = true;
          LOG.warning("not listening for other processes' order changes yet (streams poll meanwhile): " + err.getMessage());
        }
        vertx.setTimer(RELISTEN_MILLIS, t -> {
          if (subscriber == current) {
            listenAgain(Promise.promise());
          }
        });
      }
    }).onComplete(done -> tried.tryComplete());
  }

  private void heard(String payload) {
    int space = payload.indexOf(' ');
    if (space > 0 && !payload.substring(0, space).equals(origin)) {
      vertx.eventBus().publish(fromElsewhere, payload.substring(space + 1));
    }
  }

  /** Stops listening. */
  public Future<Void> close() {
    PgSubscriber current = subscriber;
    subscriber = null;
    return current == null ? Future.succeededFuture() : current.close();
  }
}
