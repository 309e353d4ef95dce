package dev.shopmesh.catalog.store;

import dev.shopmesh.catalog.product.Product;
import dev.shopmesh.catalog.product.ReservationLine;
import dev.shopmesh.catalog.product.ReservedLine;
import dev.shopmesh.platform.db.Database;
import dev.shopmesh.platform.error.Failure;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.templates.SqlTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Products and reservations, in SQL that runs unchanged on embedded SQLite and on PostgreSQL.
 * Stock never goes negative: a reservation takes stock with a guarded
 * {@code UPDATE ... WHERE stock >= quantity}, all lines in one transaction.
 */
public final class CatalogStore {

  static final List<String> SCHEMA = List.of(
    "CREATE TABLE IF NOT EXISTS catalog_products ("
      + "id VARCHAR(64) PRIMARY KEY, name VARCHAR(200) NOT NULL, description VARCHAR(2000) NOT NULL,"
      + " price_cents BIGINT NOT NULL, currency VARCHAR(3) NOT NULL, stock INT NOT NULL CHECK (stock >= 0))",
    "CREATE TABLE IF NOT EXISTS catalog_reservations ("
      + "reservation_id VARCHAR(128) NOT NULL, product_id VARCHAR(64) NOT NULL, name VARCHAR(200) NOT NULL,"
      + " quantity INT NOT NULL, unit_price_cents BIGINT NOT NULL, currency VARCHAR(3) NOT NULL,"
      + " released BOOLEAN NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (reservation_id, product_id))");

  private static final String COLUMNS = "id, name, description, price_cents, currency, stock";

  private final Database database;
  private final Pool pool;

  public CatalogStore(Database database) {
    this.database = database;
    this.pool = database.pool();
  }

  public Future<Void> migrate() {
    return database.migrate(SCHEMA);
  }

  /** Inserts {@code products} if the catalog is empty; answers how many were inserted. */
  public Future<Integer> seedIfEmpty(List<Product> products) {
    return database.inTransaction(conn -> conn.query("SELECT COUNT(*) FROM catalog_products").execute()
      .compose(rows -> rows.iterator().next().getLong(0) > 0 ? Future.succeededFuture(0)
        : upsert(conn, products)));
  }

  public Future<Optional<Product>> find(String id) {
    return SqlTemplate.forQuery(pool, "SELECT " + COLUMNS + " FROM catalog_products WHERE id = #{id}")
      .execute(Map.of("id", id))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(product(rows.iterator().next())));
  }

  public Future<List<Product>> all() {
    return pool.query("SELECT " + COLUMNS + " FROM catalog_products ORDER BY id").execute().map(CatalogStore::products);
  }

  /** At most {@code limit} products whose id sorts after {@code afterId} ("" for the first), in id order. */
  public Future<List<Product>> page(String afterId, int limit) {
    return SqlTemplate.forQuery(pool, "SELECT " + COLUMNS + " FROM catalog_products WHERE id > #{after} ORDER BY id LIMIT #{limit}")
      .execute(Map.of("after", afterId, "limit", limit))
      .map(CatalogStore::products);
  }

  private static List<Product> products(RowSet<Row> rows) {
    List<Product> products = new ArrayList<>(rows.size());
    rows.forEach(row -> products.add(product(row)));
    return products;
  }

  /** Creates or replaces every product, all or none. */
  public Future<Integer> importAll(List<Product> products) {
    return database.inTransaction(conn -> upsert(conn, products));
  }

  private static Future<Integer> upsert(SqlConnection conn, List<Product> products) {
    Future<Void> chain = Future.succeededFuture();
    for (Product p : products) {
      Map<String, Object> params = Map.of("id", p.id(), "name", p.name(), "description", p.description(),
        "price", p.priceCents(), "currency", p.currency(), "stock", p.stock());
      chain = chain.compose(v -> SqlTemplate.forUpdate(conn,
          "UPDATE catalog_products SET name = #{name}, description = #{description}, price_cents = #{price},"
            + " currency = #{currency}, stock = #{stock} WHERE id = #{id}")
        .execute(params)
        .compose(updated -> updated.rowCount() > 0 ? Future.succeededFuture()
          : SqlTemplate.forUpdate(conn, "INSERT INTO catalog_products (" + COLUMNS + ")"
              + " VALUES (#{id}, #{name}, #{description}, #{price}, #{currency}, #{stock})")
            .execute(params).mapEmpty()));
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
    return database.inTransaction(conn -> reservation(conn, reservationId).compose(existing -> {
      if (!existing.isEmpty()) {
        return Future.succeededFuture(existing);
      }
      // Lock rows in one global order (sorted ids) so that concurrent reservations cannot deadlock.
      Future<List<ReservedLine>> chain = Future.succeededFuture(new ArrayList<>());
      for (Map.Entry<String, Integer> line : new TreeMap<>(quantities).entrySet()) {
        chain = chain.compose(lines -> take(conn, reservationId, line.getKey(), line.getValue())
          .map(reserved -> {
            lines.add(reserved);
            return lines;
          }));
      }
      return chain;
    }));
  }

  /**
   * Takes {@code quantity} of a product for a reservation. The stock update answers the product
   * (RETURNING, on SQLite and PostgreSQL alike), so the common case is two statements; only a
   * product that could not give the stock is read again, to say why.
   */
  private static Future<ReservedLine> take(SqlConnection conn, String reservationId, String productId, int quantity) {
    Map<String, Object> params = Map.of("id", productId, "quantity", quantity);
    return SqlTemplate.forQuery(conn, "UPDATE catalog_products SET stock = stock - #{quantity}"
        + " WHERE id = #{id} AND stock >= #{quantity} RETURNING " + COLUMNS)
      .execute(params)
      .compose(taken -> taken.size() == 1 ? Future.succeededFuture(product(taken.iterator().next()))
        : SqlTemplate.forQuery(conn, "SELECT " + COLUMNS + " FROM catalog_products WHERE id = #{id}").execute(params)
          .map(rows -> {
            if (rows.size() == 0) {
              throw Failure.notFound("product '" + productId + "' does not exist");
            }
            throw Failure.precondition("product '" + productId + "' has " + product(rows.iterator().next()).stock()
              + " in stock, " + quantity + " requested");
          }))
      .map(product -> new ReservedLine(productId, product.name(), quantity, product.priceCents(), product.currency()))
      .compose(line -> SqlTemplate.forUpdate(conn,
          "INSERT INTO catalog_reservations (reservation_id, product_id, name, quantity, unit_price_cents, currency,"
            + " released, created_at) VALUES (#{rid}, #{pid}, #{name}, #{quantity}, #{price}, #{currency}, FALSE, #{now})")
        .execute(Map.of("rid", reservationId, "pid", productId, "name", line.name(), "quantity", quantity,
          "price", line.unitPriceCents(), "currency", line.currency(), "now", System.currentTimeMillis()))
        .map(line));
  }

  private static Future<List<ReservedLine>> reservation(SqlClient client, String reservationId) {
    return SqlTemplate.forQuery(client, "SELECT product_id, name, quantity, unit_price_cents, currency"
        + " FROM catalog_reservations WHERE reservation_id = #{rid} ORDER BY product_id")
      .execute(Map.of("rid", reservationId))
      .map(rows -> {
        List<ReservedLine> lines = new ArrayList<>();
        rows.forEach(r -> lines.add(new ReservedLine(r.getString("product_id"), r.getString("name"),
          r.getInteger("quantity"), r.getLong("unit_price_cents"), r.getString("currency"))));
        return lines;
      });
  }

  /** Every reservation line, released or not, for audits. */
  public Future<List<ReservationLine>> reservationLines() {
    // SQLite keeps a BOOLEAN as 0 or 1 and PostgreSQL as a boolean: the CASE reads both as 0 or 1.
    return pool.query("SELECT reservation_id, product_id, quantity, CASE WHEN released THEN 1 ELSE 0 END AS released"
        + " FROM catalog_reservations ORDER BY created_at, reservation_id, product_id").execute()
      .map(rows -> {
        List<ReservationLine> lines = new ArrayList<>(rows.size());
        rows.forEach(r -> lines.add(new ReservationLine(r.getString("reservation_id"), r.getString("product_id"),
          r.getInteger("quantity"), r.getInteger("released") == 1)));
        return lines;
      });
  }

  /**
   * Puts a reservation's stock back, once: each line is marked released by a guarded update, and
   * only the call whose update took the line returns its stock. Answers whether this call did.
   */
  public Future<Boolean> release(String reservationId) {
    return database.inTransaction(conn -> reservation(conn, reservationId).compose(lines -> {
      Future<Boolean> chain = Future.succeededFuture(false);
      for (ReservedLine line : lines) {
        Map<String, Object> params = Map.of("rid", reservationId, "pid", line.productId(), "quantity", line.quantity());
        chain = chain.compose(any -> SqlTemplate.forUpdate(conn, "UPDATE catalog_reservations SET released = TRUE"
            + " WHERE reservation_id = #{rid} AND product_id = #{pid} AND released = FALSE")
          .execute(params)
          .compose(marked -> marked.rowCount() == 0 ? Future.succeededFuture(any)
            : SqlTemplate.forUpdate(conn, "UPDATE catalog_products SET stock = stock + #{quantity} WHERE id = #{pid}")
              .execute(params).map(true)));
      }
      return chain;
    }));
  }

  private static Product product(Row row) {
    return new Product(row.getString("id"), row.getString("name"), row.getString("description"),
      row.getLong("price_cents"), row.getString("currency"), row.getInteger("stock"));
  }
}
