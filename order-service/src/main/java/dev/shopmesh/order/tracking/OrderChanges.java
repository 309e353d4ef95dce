package dev.shopmesh.order.tracking;

import dev.shopmesh.platform.db.Database;
import dev.shopmesh.platform.log.Logs;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.pubsub.PgChannel;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Tells the streams that follow orders (WatchOrder, TrackOrders, a replayed PlaceOrder) that an
 * order changed, so that they answer at once. A change made in this process reaches every replica
 * of it over the event bus (the payload is the order's id). On PostgreSQL a change made by a replica
 * in another process arrives too, as a notification ({@code LISTEN}/{@code NOTIFY}): with
 * {@code --scale order-service=3}, a stream on one replica heard of an order settled on another
 * only when it next polled. The streams poll all the same, for what a notification cannot carry:
 * changes made while the listening connection was down, and the embedded store's other processes.
 *
 * <p>A process sends its changes every {@link #NOTIFY_EVERY_MILLIS} at most, many ids to a
 * notification: PostgreSQL serializes the commits of transactions that notify (each holds a
 * database-wide lock through its commit), and one per settled order would have queued every
 * order's commit behind the others'.
 */
public final class OrderChanges {

  private static final Logger LOG = Logs.logger("order.changes");
  private static final String ADDRESS = "shopmesh.order.changed";
  /** PostgreSQL's channel for the changes, shared by every process on one database. */
  static final String CHANNEL = "shopmesh_order_changed";
  /** How long a replica waits before trying again to listen, after PostgreSQL refused or dropped the connection. */
  static final long RELISTEN_MILLIS = 1_000;
  /** How long a change waits for others to go in the same notification. */
  static final long NOTIFY_EVERY_MILLIS = 20;
  /** PostgreSQL's limit on a notification's payload is 8,000 bytes; ids are ASCII. */
  static final int MAX_PAYLOAD = 7_900;

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
  /** The changes not sent to the other processes yet, and whether a send is due. */
  private final Queue<String> unsent = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean sendDue = new AtomicBoolean();

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
   * Tells this process's streams that {@code orderId} changed at once, and on PostgreSQL the other
   * processes' within {@link #NOTIFY_EVERY_MILLIS}.
   */
  public void changed(String orderId) {
    vertx.eventBus().publish(ADDRESS, orderId);
    if (database != null) {
      unsent.add(orderId);
      if (sendDue.compareAndSet(false, true)) {
        vertx.setTimer(NOTIFY_EVERY_MILLIS, t -> send());
      }
    }
  }

  /** The changes not sent yet, in as few notifications as fit them. */
  private void send() {
    sendDue.set(false);
    List<String> ids = new ArrayList<>();
    for (String id = unsent.poll(); id != null; id = unsent.poll()) {
      ids.add(id);
    }
    payloads(origin, ids).forEach(this::notify);
  }

  /** {@code ids} as notifications' payloads, each "origin id id …" within {@link #MAX_PAYLOAD}. */
  static List<String> payloads(String origin, List<String> ids) {
    List<String> payloads = new ArrayList<>();
    StringBuilder payload = new StringBuilder(origin);
    for (String id : ids) {
      if (payload.length() + 1 + id.length() > MAX_PAYLOAD) {
        payloads.add(payload.toString());
        payload.setLength(0);
        payload.append(origin);
      }
      payload.append(' ').append(id);
    }
    if (!ids.isEmpty()) {
      payloads.add(payload.toString());
    }
    return payloads;
  }

  private void notify(String payload) {
    // Not waited for: the changes are committed, and a stream elsewhere polls for what this misses.
    database.pool().preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(CHANNEL, payload))
      .onFailure(err -> LOG.fine("no notification of order changes sent: " + err));
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
    subscriber = current;
    PgChannel channel = current.channel(CHANNEL);
    // Run each time the subscriber listens, its own reconnections included.
    channel.subscribeHandler(listening -> {
      if (subscriber != current) {
        // Closed while connecting: Vert.x 5.0.7 connects and listens all the same, and keeps the
        // connection, which a close no longer reaches.
        PgConnection connection = current.actualConnection();
        if (connection != null) {
          connection.close();
        }
      } else if (toldNotListening) {
        toldNotListening = false;
        LOG.info("listening for other processes' order changes");
      }
    });
    channel.handler(this::heard);
    current.connect().onFailure(err -> {
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
    String[] words = payload.split(" ");
    if (!words[0].equals(origin)) {
      for (int i = 1; i < words.length; i++) {
        vertx.eventBus().publish(fromElsewhere, words[i]);
      }
    }
  }

  /** Stops listening. */
  public Future<Void> close() {
    PgSubscriber current = subscriber;
    subscriber = null;
    return current == null ? Future.succeededFuture() : current.close();
  }
}
