package dev.shopmesh.payment.store;

import dev.shopmesh.payment.charge.Charge;
import dev.shopmesh.platform.db.Database;
import dev.shopmesh.platform.db.Sql;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.shopmesh.payment.charge.Charge.TOMBSTONE;

/** Charges keyed by their idempotency key: the primary key makes "charge once per key" a database fact. */
public final class ChargeStore {

  static final List<String> SCHEMA = List.of(
    "CREATE TABLE IF NOT EXISTS payment_charges ("
      + "idempotency_key VARCHAR(200) PRIMARY KEY, id VARCHAR(64) NOT NULL, order_id VARCHAR(64) NOT NULL,"
      + " amount_cents BIGINT NOT NULL, currency VARCHAR(3) NOT NULL, status VARCHAR(16) NOT NULL,"
      + " decline_reason VARCHAR(200) NOT NULL, card_last4 VARCHAR(4) NOT NULL, created_at BIGINT NOT NULL)",
    // The audit reads charges in their orders' order, a page at a time (page).
    "CREATE INDEX IF NOT EXISTS payment_charges_by_order ON payment_charges (order_id, idempotency_key)");

  private final Database database;
  private final Pool pool;

  public ChargeStore(Database database) {
    this.database = database;
    this.pool = database.pool();
  }

  public Future<Void> migrate() {
    return database.migrate(SCHEMA);
  }

  private static final Sql BY_KEY = new Sql("SELECT * FROM payment_charges WHERE idempotency_key = #{key}");

  public Future<Optional<Charge>> find(String key) {
    return database.execute(BY_KEY, pool, Map.of("key", key))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(charge(rows.iterator().next())));
  }

  static final Sql PAGE = new Sql("SELECT * FROM payment_charges"
    + " WHERE (order_id, idempotency_key) > (#{order}, #{key}) ORDER BY order_id, idempotency_key LIMIT #{limit}");

  /**
   * At most {@code limit} charges in the order of their order's id (then of their key), after the
   * charge of {@code afterOrderId} and {@code afterKey} ("" and "" for the first), for audits, which
   * read them beside the orders, in the same order.
   */
  public Future<List<Charge>> page(String afterOrderId, String afterKey, int limit) {
    return database.execute(PAGE, pool, Map.of("order", afterOrderId, "key", afterKey, "limit", limit))
      .map(rows -> {
        List<Charge> charges = new java.util.ArrayList<>(rows.size());
        rows.forEach(r -> charges.add(charge(r)));
        return charges;
      });
  }

  private static final Sql INSERT = new Sql("INSERT INTO payment_charges (idempotency_key, id, order_id, amount_cents,"
    + " currency, status, decline_reason, card_last4, created_at) VALUES (#{key}, #{id}, #{order}, #{amount},"
    + " #{currency}, #{status}, #{reason}, #{last4}, #{now})"
    // A retry's key is no error (as a unique violation it was an ERROR line in PostgreSQL's log).
    + " ON CONFLICT (idempotency_key) DO NOTHING");

  /**
   * Stores a new charge, or answers the one already stored under its key (a retry, a concurrent
   * call with the same key, or a refund's tombstone): the caller tells them apart by the charge id.
   */
  public Future<Charge> insertOrGet(Charge c) {
    return database.execute(INSERT, pool,
      Map.of("key", c.key(), "id", c.id(), "order", c.orderId(), "amount", c.amountCents(),
        "currency", c.currency(), "status", c.status().name(), "reason", c.declineReason(), "last4", c.cardLast4(),
        "now", System.currentTimeMillis()))
      .compose(inserted -> inserted.rowCount() == 1 ? Future.succeededFuture(c)
        // Charges are never deleted: a key taken is a charge to find.
        : find(c.key()).map(found -> found.orElseThrow(() -> new IllegalStateException("no charge under a key taken: " + c.key()))));
  }

  private static final Sql REFUND = new Sql("INSERT INTO payment_charges (idempotency_key, id, order_id, amount_cents,"
    + " currency, status, decline_reason, card_last4, created_at) VALUES (#{key}, #{id}, '', 0, '', 'REFUNDED',"
    + " #{tombstone}, '', #{now}) ON CONFLICT (idempotency_key) DO UPDATE SET status = 'REFUNDED'"
    + " WHERE payment_charges.status = 'APPROVED'");

  /**
   * Marks an approved charge refunded; answers whether the charge under {@code key} is refunded
   * now. A refund that arrives before its charge (the caller gave up on a slow charge that is
   * still on its way) leaves a REFUNDED tombstone under the key, so the late charge finds it and
   * charges nothing. One statement, so that a charge being written at the same moment is either
   * refunded or finds the tombstone: never left approved under a refund that answered.
   */
  public Future<Boolean> refund(String key) {
    return database.execute(REFUND, pool, Map.of("key", key, "id", UUID.randomUUID().toString(), "tombstone", TOMBSTONE,
        "now", System.currentTimeMillis()))
      .compose(v -> find(key))
      .map(found -> found.filter(c -> c.status() == Charge.Status.REFUNDED && !c.isTombstone()).isPresent());
  }

  private static Charge charge(Row r) {
    return new Charge(r.getString("id"), r.getString("idempotency_key"), r.getString("order_id"),
      r.getLong("amount_cents"), r.getString("currency"), Charge.Status.valueOf(r.getString("status")),
      r.getString("decline_reason"), r.getString("card_last4"));
  }
}
