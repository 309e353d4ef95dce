package dev.shopmesh.catalog.store;

import dev.shopmesh.catalog.product.Product;
import dev.shopmesh.catalog.product.ProductRules;
import dev.shopmesh.catalog.product.ReservationLine;
import dev.shopmesh.catalog.product.ReservedLine;
import dev.shopmesh.platform.db.Database;
import dev.shopmesh.platform.db.Sql;
import dev.shopmesh.platform.error.Failure;
import io.vertx.core.Future;
import io.vertx.sqlclient.DatabaseException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Products and reservations, in SQL that runs unchanged on embedded SQLite and on PostgreSQL (only
 * the trigger's definition differs). Stock moves with its reservations: inserting a reservation line
 * takes the stock (a trigger), and {@code CHECK (stock >= 0)} refuses a line the stock cannot give, so
 * a one-line reservation is one statement, and the database itself keeps stock and reservations in step.
 */
public final class CatalogStore {

  static final List<String> SCHEMA = List.of(
    "CREATE TABLE IF NOT EXISTS catalog_products ("
      + "id VARCHAR(64) PRIMARY KEY, name VARCHAR(200) NOT NULL, description VARCHAR(2000) NOT NULL,"
      + " price_cents BIGINT NOT NULL, currency VARCHAR(3) NOT NULL, stock INT NOT NULL CHECK (stock >= 0))",
    "CREATE TABLE IF NOT EXISTS catalog_reservations ("
      + "reservation_id VARCHAR(128) NOT NULL, product_id VARCHAR(64) NOT NULL, name VARCHAR(200) NOT NULL,"
      + " quantity INT NOT NULL, unit_price_cents BIGINT NOT NULL, currency VARCHAR(3) NOT NULL,"
      + " released BOOLEAN NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (reservation_id, product_id))",
    // Reservations released, made or not: a reservation that arrives after its release (its caller
    // timed out, released, and the request was still on its way) takes no stock. On PostgreSQL a
    // reservation claims its row first (released FALSE): see ReleaseFence.
    "CREATE TABLE IF NOT EXISTS catalog_released (reservation_id VARCHAR(128) PRIMARY KEY)");

  /** PostgreSQL's fence rows say whether they are a reservation's claim or its release (rows from before: releases). */
  static final String POSTGRES_FENCE_COLUMN =
    "ALTER TABLE catalog_released ADD COLUMN IF NOT EXISTS released BOOLEAN NOT NULL DEFAULT TRUE";

  /** A reservation line takes its stock in the statement that inserts it (SQLite's trigger syntax). */
  static final String EMBEDDED_TRIGGER = "CREATE TRIGGER IF NOT EXISTS catalog_reservation_takes_stock"
    + " AFTER INSERT ON catalog_reservations FOR EACH ROW BEGIN"
    + " UPDATE catalog_products SET stock = stock - NEW.quantity WHERE id = NEW.product_id; END";

  /** The same trigger for PostgreSQL, where a trigger runs a function. */
  static final List<String> POSTGRES_TRIGGER = List.of(
    "CREATE OR REPLACE FUNCTION catalog_reservation_takes_stock() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
      + " UPDATE catalog_products SET stock = stock - NEW.quantity WHERE id = NEW.product_id; RETURN NULL; END $$",
    "CREATE OR REPLACE TRIGGER catalog_reservation_takes_stock AFTER INSERT ON catalog_reservations"
      + " FOR EACH ROW EXECUTE FUNCTION catalog_reservation_takes_stock()");

  private static final String COLUMNS = "id, name, description, price_cents, currency, stock";

  private final Database database;
  private final Pool pool;
  private final ReleaseFence fence;
  private final SharedReads<PageKey, List<Product>> pages = new SharedReads<>();

  public CatalogStore(Database database) {
    this.database = database;
    this.pool = database.pool();
    this.fence = database.embedded() ? ReleaseFence.EMBEDDED : ReleaseFence.POSTGRES;
  }

  public Future<Void> migrate() {
    List<String> schema = new ArrayList<>(SCHEMA);
    if (database.embedded()) {
      schema.add(EMBEDDED_TRIGGER);
    } else {
      schema.addAll(POSTGRES_TRIGGER);
      schema.add(POSTGRES_FENCE_COLUMN);
    }
    return database.migrate(schema);
  }

  /**
   * Inserts {@code products} if the catalog is empty; answers how many were inserted. Replicas
   * starting together on an empty catalog each seed it, the others waiting for the first one's rows.
   */
  public Future<Integer> seedIfEmpty(List<Product> products) {
    return database.inTransactionWaitingForLocks(conn -> conn.query("SELECT COUNT(*) FROM catalog_products").execute()
      .compose(rows -> rows.iterator().next().getLong(0) > 0 ? Future.succeededFuture(0)
        : write(conn, products, SEED_PRODUCT)));
  }

  private static final Sql BY_ID = new Sql("SELECT " + COLUMNS + " FROM catalog_products WHERE id = #{id}");

  public Future<Optional<Product>> find(String id) {
    return database.execute(BY_ID, pool, Map.of("id", id))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(product(rows.iterator().next())));
  }

  private static final Sql PAGE = new Sql(
    "SELECT " + COLUMNS + " FROM catalog_products WHERE id > #{after} ORDER BY id LIMIT #{limit}");

  /**
   * At most {@code limit} products whose id sorts after {@code afterId} ("" for the first), in id
   * order; read once for the callers asking for the same page at the same time ({@link SharedReads}).
   */
  public Future<List<Product>> page(String afterId, int limit) {
    return pages.read(new PageKey(afterId, limit), () -> database.execute(PAGE, pool, Map.of("after", afterId, "limit", limit))
      .map(CatalogStore::products));
  }

  private record PageKey(String afterId, int limit) {
  }

  /** Unmodifiable: a page read once may be handed to several callers. */
  private static List<Product> products(RowSet<Row> rows) {
    List<Product> products = new ArrayList<>(rows.size());
    rows.forEach(row -> products.add(product(row)));
    return Collections.unmodifiableList(products);
  }

  /** Creates or replaces every product, all or none. */
  public Future<Integer> importAll(List<Product> products) {
    return database.inTransaction(conn -> write(conn, products, UPSERT_PRODUCT));
  }

  private static final String INSERT_PRODUCT = "INSERT INTO catalog_products (" + COLUMNS + ")"
    + " VALUES (#{id}, #{name}, #{description}, #{price}, #{currency}, #{stock}) ON CONFLICT (id) DO ";

  private static final Sql UPSERT_PRODUCT = new Sql(INSERT_PRODUCT + "UPDATE SET name = excluded.name,"
    + " description = excluded.description, price_cents = excluded.price_cents, currency = excluded.currency,"
    + " stock = excluded.stock");

  /** A seed leaves a product that exists alone: another replica seeded it, and orders may have taken its stock since. */
  private static final Sql SEED_PRODUCT = new Sql(INSERT_PRODUCT + "NOTHING");

  /**
   * One statement a product, which on a product written at the same moment waits for it rather than
   * fail on the key (replicas seeding an empty catalog together, two imports); in id order, the
   * order reservations lock products in, so that an import and an order cannot deadlock.
   */
  private Future<Integer> write(SqlConnection conn, List<Product> products, Sql statement) {
    Future<Void> chain = Future.succeededFuture();
    for (Product p : products.stream().sorted(Comparator.comparing(Product::id)).toList()) {
      Map<String, Object> params = Map.of("id", p.id(), "name", p.name(), "description", p.description(),
        "price", p.priceCents(), "currency", p.currency(), "stock", p.stock());
      chain = chain.compose(v -> database.execute(statement, conn, params).mapEmpty());
    }
    return chain.map(v -> products.size());
  }

  /**
   * Takes stock for every line or for none. Idempotent on {@code reservationId}: a reservation
   * that exists already is answered as it is, and takes nothing more.
   *
   * @param quantities product id to quantity (duplicate lines already summed)
   */
  public Future<List<ReservedLine>> reserve(String reservationId, Map<String, Integer> quantities) {
    // Lines in one global order (sorted ids), so that concurrent reservations cannot deadlock.
    return reserve(reservationId, new TreeMap<>(quantities), RACE_TRIES);
  }

  /**
   * How often a reservation that lost a race for stock (it read enough, the stock was gone when it
   * took it, and enough was back when it looked why) is tried: each try is idempotent on its id.
   */
  static final int RACE_TRIES = 3;

  private Future<List<ReservedLine>> reserve(String reservationId, TreeMap<String, Integer> sorted, int tries) {
    long now = System.currentTimeMillis();
    // One line is one statement, atomic by itself; several need a transaction.
    Future<List<ReservedLine>> taken = sorted.size() == 1 ? insertLines(pool, reservationId, sorted, now)
      : database.inTransaction(conn -> insertLines(conn, reservationId, sorted, now));
    return taken.recover(notTaken -> whyNotTaken(reservationId, sorted, notTaken))
      .recover(err -> !(err instanceof LostRace) ? Future.failedFuture(err)
        : tries > 1 ? reserve(reservationId, sorted, tries - 1)
        : Future.failedFuture(Failure.unavailable("the stock changed while reserving; try again")));
  }

  /**
   * Inserts a reservation line for each product, each taking its stock (the trigger). Fails, so
   * that nothing stays taken, as soon as a line is not inserted: no such product, not enough stock,
   * or the reservation exists already; {@link #whyNotTaken} then says which.
   */
  private Future<List<ReservedLine>> insertLines(SqlClient client, String reservationId, TreeMap<String, Integer> lines,
                                                 long now) {
    Future<List<ReservedLine>> chain = Future.succeededFuture(new ArrayList<>());
    for (Map.Entry<String, Integer> line : lines.entrySet()) {
      chain = chain.compose(reserved -> database.execute(fence.insertLine(), client,
          Map.of("rid", reservationId, "pid", line.getKey(), "quantity", line.getValue(), "now", now))
        .map(inserted -> {
          if (inserted.size() != 1) {
            throw new NotTaken();
          }
          Row r = inserted.iterator().next();
          reserved.add(new ReservedLine(line.getKey(), r.getString("name"), line.getValue(),
            r.getLong("unit_price_cents"), r.getString("currency")));
          return reserved;
        }));
    }
    return chain;
  }

  /** A line that took no stock; never leaves the store. */
  private static final class NotTaken extends RuntimeException {
    NotTaken() {
      super("reservation line not inserted", null, false, false);
    }
  }

  /**
   * After a reservation took nothing: the reservation as it exists already (a retry), or why a line
   * could not be taken (no such product, too little stock), or, when neither explains it (the stock
   * changed since), the failure itself.
   */
  private Future<List<ReservedLine>> whyNotTaken(String reservationId, TreeMap<String, Integer> lines,
                                                  Throwable failure) {
    return reservation(pool, reservationId).compose(existing -> {
      if (!existing.isEmpty()) {
        return Future.succeededFuture(existing);
      }
      return database.execute(fence.released(), pool, Map.of("rid", reservationId)).compose(released -> released.size() > 0
        ? Future.failedFuture(new Failure(Failure.Kind.ABORTED, "reservation '" + reservationId
          + "' was released before it arrived: it takes no stock"))
        : whyNoStock(lines, failure));
    });
  }

  /** Why a reservation that exists in no form took nothing: no such product, too little stock, or a race. */
  private Future<List<ReservedLine>> whyNoStock(TreeMap<String, Integer> lines, Throwable failure) {
    Future<Void> chain = Future.succeededFuture();
    for (Map.Entry<String, Integer> line : lines.entrySet()) {
      String productId = line.getKey();
      int quantity = line.getValue();
      chain = chain.compose(v -> find(productId).map(product -> {
        if (product.isEmpty()) {
          throw ProductRules.unknown(productId);
        }
        if (product.get().stock() < quantity) {
          throw Failure.precondition("product '" + productId + "' has " + product.get().stock()
            + " in stock, " + quantity + " requested");
        }
        return null;
      }));
    }
    return chain.compose(v -> Future.failedFuture(failure instanceof NotTaken || stockCheckRefused(failure)
      ? new LostRace() : failure));
  }

  /**
   * PostgreSQL's stock check refusing a reservation's take: under READ COMMITTED it read enough stock,
   * and the trigger's update, once the order that held the product's row committed, found less.
   */
  private static boolean stockCheckRefused(Throwable failure) {
    return failure instanceof DatabaseException db && "23514".equals(db.getSqlState());
  }

  /** A reservation that took nothing although there is stock enough now; never leaves the store. */
  private static final class LostRace extends RuntimeException {
    LostRace() {
      super("the stock changed while reserving", null, false, false);
    }
  }

  private static final Sql RESERVATION = new Sql("SELECT product_id, name, quantity, unit_price_cents, currency"
    + " FROM catalog_reservations WHERE reservation_id = #{rid} ORDER BY product_id");

  private Future<List<ReservedLine>> reservation(SqlClient client, String reservationId) {
    return database.execute(RESERVATION, client, Map.of("rid", reservationId))
      .map(rows -> {
        List<ReservedLine> lines = new ArrayList<>();
        rows.forEach(r -> lines.add(new ReservedLine(r.getString("product_id"), r.getString("name"),
          r.getInteger("quantity"), r.getLong("unit_price_cents"), r.getString("currency"))));
        return lines;
      });
  }

  // SQLite keeps a BOOLEAN as 0 or 1 and PostgreSQL as a boolean: the CASE reads both as 0 or 1.
  static final Sql LINES_PAGE = new Sql("SELECT reservation_id, product_id, quantity,"
    + " CASE WHEN released THEN 1 ELSE 0 END AS released FROM catalog_reservations"
    + " WHERE (reservation_id, product_id) > (#{reservation}, #{product}) ORDER BY reservation_id, product_id LIMIT #{limit}");

  /**
   * At most {@code limit} reservation lines, released or not, in the order of their key
   * (reservation, then product), after the line of {@code afterReservation} and {@code afterProduct}
   * ("" and "" for the first), for audits.
   */
  public Future<List<ReservationLine>> reservationLines(String afterReservation, String afterProduct, int limit) {
    return database.execute(LINES_PAGE, pool, Map.of("reservation", afterReservation, "product", afterProduct, "limit", limit))
      .map(rows -> {
        List<ReservationLine> lines = new ArrayList<>(rows.size());
        rows.forEach(r -> lines.add(new ReservationLine(r.getString("reservation_id"), r.getString("product_id"),
          r.getInteger("quantity"), r.getInteger("released") == 1)));
        return lines;
      });
  }

  private static final Sql RETURN_STOCK = new Sql(
    "UPDATE catalog_products SET stock = stock + #{quantity} WHERE id = #{pid}");

  private static final Sql MARK_RELEASED = new Sql("UPDATE catalog_reservations SET released = TRUE"
    + " WHERE reservation_id = #{rid} AND product_id = #{pid} AND released = FALSE");

  /**
   * Puts a reservation's stock back, once: each line is marked released by a guarded update, and
   * only the call whose update took the line returns its stock. Answers whether this call did. The
   * reservation is fenced first, so that one still on its way takes nothing when it arrives.
   */
  public Future<Boolean> release(String reservationId) {
    return database.inTransaction(conn -> database.execute(fence.release(), conn, Map.of("rid", reservationId))
      .compose(fenced -> reservation(conn, reservationId))
      .compose(lines -> {
        Future<Boolean> chain = Future.succeededFuture(false);
        for (ReservedLine line : lines) {
          Map<String, Object> params = Map.of("rid", reservationId, "pid", line.productId(), "quantity", line.quantity());
          chain = chain.compose(any -> database.execute(MARK_RELEASED, conn, params)
            .compose(marked -> marked.rowCount() == 0 ? Future.succeededFuture(any)
              : database.execute(RETURN_STOCK, conn, params).map(true)));
        }
        return chain;
      }));
  }

  private static Product product(Row row) {
    return new Product(row.getString("id"), row.getString("name"), row.getString("description"),
      row.getLong("price_cents"), row.getString("currency"), row.getInteger("stock"));
  }
}
