package dev.shopmesh.order.store;

import dev.shopmesh.order.order.NewOrder;
import dev.shopmesh.order.order.Order;
import dev.shopmesh.order.order.OrderLine;
import dev.shopmesh.order.order.OrderStatus;
import dev.shopmesh.order.order.Priced;
import dev.shopmesh.order.order.Rejection;
import dev.shopmesh.order.tracking.OrderChanges;
import dev.shopmesh.platform.db.Database;
import dev.shopmesh.platform.db.Sql;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlResult;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Orders, one row each, written at every saga step. A final status is never overwritten: every
 * transition is an {@code UPDATE ... WHERE status = 'PENDING'}.
 */
public final class OrderStore {

  static final List<String> SCHEMA = List.of(
    "CREATE TABLE IF NOT EXISTS orders ("
      + "id VARCHAR(64) PRIMARY KEY, idempotency_key VARCHAR(200) UNIQUE, fingerprint VARCHAR(64) NOT NULL,"
      + " customer_id VARCHAR(128) NOT NULL, status VARCHAR(16) NOT NULL, lines TEXT NOT NULL,"
      + " total_cents BIGINT NOT NULL, currency VARCHAR(3) NOT NULL, rejection VARCHAR(32) NOT NULL,"
      + " reason VARCHAR(1000) NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
      // A compensation that could not run yet: '' (none), 'RELEASE', or 'REFUND' (refund, then release).
      + " compensation VARCHAR(16) NOT NULL DEFAULT '')",
    // The housekeeping sweeps' indexes, partial so that they hold only the few rows a sweep looks
    // for: without them each sweep read the whole table every 10 s, on the connection every order
    // waits for, a stall that grew with the order history (the bench's p99 at 1,000 orders/s).
    "CREATE INDEX IF NOT EXISTS orders_pending ON orders (updated_at) WHERE status = 'PENDING'",
    "CREATE INDEX IF NOT EXISTS orders_owed ON orders (updated_at) WHERE compensation <> ''",
    "CREATE INDEX IF NOT EXISTS orders_keyed ON orders (created_at) WHERE idempotency_key IS NOT NULL");

  private final Database database;
  private final Pool pool;
  private final OrderChanges changes;

  public OrderStore(Database database, OrderChanges changes) {
    this.database = database;
    this.pool = database.pool();
    this.changes = changes;
  }

  public Future<Void> migrate() {
    return database.migrate(SCHEMA);
  }

  public Future<Optional<Order>> find(String id) {
    return one(BY_ID, id).map(found -> found.map(StoredOrder::order));
  }

  public Future<Optional<StoredOrder>> findByKey(String key) {
    return one(BY_KEY, key);
  }

  private static final Sql BY_ID = new Sql("SELECT * FROM orders WHERE id = #{v}");
  private static final Sql BY_KEY = new Sql("SELECT * FROM orders WHERE idempotency_key = #{v}");

  private Future<Optional<StoredOrder>> one(Sql sql, String value) {
    return database.execute(sql, pool, Map.of("v", value))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(stored(rows.iterator().next())));
  }

  static final Sql PAGE = new Sql("SELECT * FROM orders WHERE id > #{after} ORDER BY id LIMIT #{limit}");

  /** At most {@code limit} orders whose id sorts after {@code afterId} ("" for the first), in id order, for audits. */
  public Future<List<Order>> page(String afterId, int limit) {
    return database.execute(PAGE, pool, Map.of("after", afterId, "limit", limit))
      .map(rows -> {
        List<Order> orders = new ArrayList<>(rows.size());
        rows.forEach(r -> orders.add(stored(r).order()));
        return orders;
      });
  }

  static final Sql PENDING_SINCE = new Sql(
    "SELECT * FROM orders WHERE status = 'PENDING' AND updated_at <= #{before}"
    + " AND compensation = '' ORDER BY updated_at LIMIT #{limit}");

  /**
   * Orders still PENDING, last touched before {@code before} (epoch ms), and not being compensated:
   * sagas that look interrupted. Oldest first.
   */
  public Future<List<Order>> pendingSince(long before, int limit) {
    return database.execute(PENDING_SINCE, pool, Map.of("before", before, "limit", limit))
      .map(rows -> {
        List<Order> orders = new ArrayList<>();
        rows.forEach(r -> orders.add(stored(r).order()));
        return orders;
      });
  }

  private static final Sql CLAIM_COMPENSATION = new Sql(
    "UPDATE orders SET compensation = #{what}, updated_at = #{now} WHERE id = #{id}"
    + " AND status = 'PENDING' AND compensation = '' AND updated_at <= #{before}");

  /**
   * Claims the right to compensate a PENDING order (until {@link #compensated}); {@code refund} when a
   * charge may exist. Only one claim succeeds: the saga's own, or the recovery sweep's once the saga
   * looks interrupted ({@code staleBefore}: last touched before then; use Long.MAX_VALUE for the
   * saga). Answers whether this caller holds the claim.
   */
  public Future<Boolean> claimCompensation(String id, boolean refund, long staleBefore) {
    return database.execute(CLAIM_COMPENSATION, pool,
      Map.of("id", id, "what", refund ? "REFUND" : "RELEASE", "now", System.currentTimeMillis(),
        "before", staleBefore))
      .map(updated -> updated.rowCount() == 1);
  }

  private static final Sql CONFIRM = new Sql(
    "UPDATE orders SET status = 'CONFIRMED', lines = #{lines}, total_cents = #{total},"
    + " currency = #{currency}, updated_at = #{now} WHERE id = #{id} AND status = 'PENDING' AND compensation = ''");

  /**
   * Confirms a PENDING order with its priced lines, unless its compensation was claimed; answers the
   * order as stored. The prices are written with the final status, in the same statement: one
   * commit per order fewer than recording them when catalog-service answers.
   *
   * @param placed the order as {@link #insertPending} stored it
   */
  public Future<Order> confirm(Order placed, Priced priced) {
    long now = System.currentTimeMillis();
    return database.execute(CONFIRM, pool,
      Map.of("id", placed.id(), "lines", linesJson(priced.lines()), "total", priced.totalCents(),
        "currency", priced.currency(), "now", now))
      .compose(updated -> settled(updated, new Order(placed.id(), placed.customerId(), OrderStatus.CONFIRMED,
        priced.lines(), priced.totalCents(), priced.currency(), Rejection.NONE, "", placed.createdAtMillis(), now)));
  }

  static final Sql OWED_COMPENSATIONS = new Sql("SELECT id, compensation FROM orders WHERE compensation <> ''"
    + " AND updated_at <= #{before} LIMIT #{limit}");

  /**
   * Orders whose compensation was started before {@code before} (epoch ms) and is still owed: order
   * id to whether a refund is owed too. The age keeps the sweep off compensations a live saga is
   * running now.
   */
  public Future<Map<String, Boolean>> owedCompensations(long before, int limit) {
    return database.execute(OWED_COMPENSATIONS, pool, Map.of("before", before, "limit", limit))
      .map(rows -> {
        Map<String, Boolean> owed = new java.util.LinkedHashMap<>();
        rows.forEach(r -> owed.put(r.getString("id"), "REFUND".equals(r.getString("compensation"))));
        return owed;
      });
  }

  private static final Sql COMPENSATED = new Sql("UPDATE orders SET compensation = '' WHERE id = #{id}");

  public Future<Void> compensated(String id) {
    return database.execute(COMPENSATED, pool, Map.of("id", id)).mapEmpty();
  }

  static final Sql EXPIRE_KEYS = new Sql("UPDATE orders SET idempotency_key = NULL"
    + " WHERE idempotency_key IS NOT NULL AND created_at < #{before} AND status <> 'PENDING'");

  /**
   * Forgets the idempotency keys of final orders created before {@code before}: a key sent again
   * after that places a new order. PENDING orders keep theirs, since their saga may still be replayed.
   */
  public Future<Integer> expireKeys(long before) {
    return database.execute(EXPIRE_KEYS, pool, Map.of("before", before))
      .map(SqlResult::rowCount);
  }

  private static final Sql INSERT_PENDING = new Sql(
    "INSERT INTO orders (id, idempotency_key, fingerprint, customer_id, status,"
    + " lines, total_cents, currency, rejection, reason, created_at, updated_at) VALUES (#{id}, #{key},"
    + " #{fingerprint}, #{customer}, 'PENDING', #{lines}, 0, '', 'NONE', '', #{now}, #{now})"
    // A retry's key is no error: as a unique violation, it would be an ERROR line in PostgreSQL's
    // log and an exception here for every retried order.
    + " ON CONFLICT (idempotency_key) DO NOTHING");

  /**
   * Stores a new PENDING order; answers empty when its idempotency key is taken (the caller looks
   * the key's order up then).
   */
  public Future<Optional<Order>> insertPending(String id, NewOrder request, long now) {
    List<OrderLine> lines = request.items().stream().map(i -> new OrderLine(i.productId(), "", i.quantity(), 0)).toList();
    Order order = new Order(id, request.customerId(), OrderStatus.PENDING, lines, 0, "", Rejection.NONE, "", now, now);
    Map<String, Object> params = new HashMap<>();
    params.put("id", id);
    params.put("key", request.idempotencyKey().isEmpty() ? null : request.idempotencyKey());
    params.put("fingerprint", request.fingerprint());
    params.put("customer", request.customerId());
    params.put("lines", linesJson(lines));
    params.put("now", now);
    // No stream is told: none can follow an order before it exists (an unknown id is NOT_FOUND).
    return database.execute(INSERT_PENDING, pool, params).map(inserted -> inserted.rowCount() == 0 ? Optional.empty() : Optional.of(order));
  }

  /** An outage's refusal that owes nothing more gives its key back ({@link #releaseKey}). */
  private static final Sql RELEASE_KEY = new Sql("UPDATE orders SET idempotency_key = NULL WHERE id = #{id}"
    + " AND status = 'REJECTED' AND rejection IN ('UNAVAILABLE', 'TIMEOUT') AND compensation = ''");

  /**
   * Gives back the key of an order refused for an outage once its compensation is done, so that a
   * retry under the key is a new attempt ({@link StoredOrder#outageOver}). Not at the refusal
   * itself: then each retry a client sent during a payment outage ran a new saga owing a refund,
   * and the refunds the sweep sent at once opened payment-service's circuit in the fault tests.
   */
  public Future<Void> releaseKey(String id) {
    return database.execute(RELEASE_KEY, pool, Map.of("id", id)).mapEmpty();
  }

  /**
   * An order refused as invalid gives its idempotency key back, as Stripe's keys do: the caller
   * corrects the request and sends it again under the same key. A decline, short stock, or an
   * outage keeps it: a retry under the key answers that outcome, until an outage's refusal owes
   * nothing more ({@link #releaseKey}).
   */
  private static final Sql FINISH = new Sql(
    "UPDATE orders SET status = #{status}, rejection = #{rejection}, reason = #{reason},"
    + " lines = #{lines}, total_cents = #{total}, currency = #{currency}, updated_at = #{now},"
    // A flag of its own: with the rejection compared here too, PostgreSQL deduced two types for one
    // parameter (varchar, text) and refused to prepare the statement. Vert.x then prepared it again
    // with the values' types, uncached: an error in PostgreSQL's log and a round trip per order.
    + " idempotency_key = CASE WHEN #{releaseKey} THEN NULL ELSE idempotency_key END"
    + " WHERE id = #{id} AND status = 'PENDING'");

  /**
   * Moves a PENDING order to its final status, with its priced lines when catalog-service had priced
   * them ({@code priced} null: the lines as placed), then answers the order as stored.
   *
   * @param placed the order as stored while PENDING
   */
  public Future<Order> finish(Order placed, OrderStatus status, Priced priced, Rejection rejection, String reason) {
    long now = System.currentTimeMillis();
    Priced outcome = priced != null ? priced : new Priced(placed.lines(), placed.totalCents(), placed.currency());
    return database.execute(FINISH, pool,
      Map.of("id", placed.id(), "status", status.name(), "rejection", rejection.name(), "reason", reason,
        "lines", linesJson(outcome.lines()), "total", outcome.totalCents(), "currency", outcome.currency(), "now", now,
        "releaseKey", rejection == Rejection.INVALID_INPUT))
      .compose(updated -> settled(updated, new Order(placed.id(), placed.customerId(), status, outcome.lines(),
        outcome.totalCents(), outcome.currency(), rejection, reason, placed.createdAtMillis(), now)));
  }

  /**
   * The order as a guarded update left it, without reading it back; or, when the update found it
   * settled already (by another replica, or the sweep), as stored.
   */
  private Future<Order> settled(SqlResult<?> updated, Order expected) {
    Future<Order> order = updated.rowCount() == 1 ? Future.succeededFuture(expected)
      : find(expected.id()).map(Optional::orElseThrow);
    return order.onSuccess(o -> changes.changed(o.id()));
  }

  private static String linesJson(List<OrderLine> lines) {
    JsonArray array = new JsonArray();
    lines.forEach(l -> array.add(new JsonObject().put("productId", l.productId()).put("name", l.name())
      .put("quantity", l.quantity()).put("unitPriceCents", l.unitPriceCents())));
    return array.encode();
  }

  private static List<OrderLine> lines(String json) {
    List<OrderLine> lines = new ArrayList<>();
    new JsonArray(json).forEach(o -> {
      JsonObject l = (JsonObject) o;
      lines.add(new OrderLine(l.getString("productId"), l.getString("name"), l.getInteger("quantity"),
        l.getLong("unitPriceCents")));
    });
    return lines;
  }

  private static StoredOrder stored(Row r) {
    Order order = new Order(r.getString("id"), r.getString("customer_id"), OrderStatus.valueOf(r.getString("status")),
      lines(r.getString("lines")), r.getLong("total_cents"), r.getString("currency"),
      Rejection.valueOf(r.getString("rejection")), r.getString("reason"), r.getLong("created_at"), r.getLong("updated_at"));
    return new StoredOrder(order, r.getString("fingerprint"), !r.getString("compensation").isEmpty());
  }
}
