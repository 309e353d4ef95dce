package dev.shopmesh.platform.db;

import dev.shopmesh.platform.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.jdbcclient.JDBCConnectOptions;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * A service's database, as one Vert.x {@link Pool} whichever engine is behind it, so that stores
 * have one set of SQL ({@code SqlTemplate} renders the placeholders each driver wants).
 * <ul>
 *   <li>{@code SHOPMESH_DB_URL} unset: embedded SQLite in a file per service under
 *   {@code SHOPMESH_DATA_DIR}; nothing to install (the driver carries the native library).</li>
 *   <li>{@code SHOPMESH_DB_URL=postgresql://user:pass@host:5432/db}: PostgreSQL through the
 *   reactive client.</li>
 * </ul>
 */
public final class Database {

  /** How long a writer waits for another process's transaction on the same file to end. */
  static final int LOCK_WAIT_MILLIS = 10_000;

  /** The PostgreSQL advisory lock that schema migrations hold (any number unique to shopmesh). */
  static final long MIGRATION_LOCK = 0x5403_E5E1L;

  private final Pool pool;
  private final boolean embedded;

  private Database(Pool pool, boolean embedded) {
    this.pool = pool;
    this.embedded = embedded;
  }

  public static Database open(Vertx vertx, Config config, String service) {
    String url = config.get("DB_URL", "");
    if (url.startsWith("postgres")) {
      PoolOptions pool = new PoolOptions().setMaxSize(config.getInt("DB_POOL_SIZE", 8));
      return new Database(PgBuilder.pool().with(pool).connectingTo(PgConnectOptions.fromUri(url)).using(vertx).build(), false);
    }
    // One connection per file and process, shared by the replicas a process runs: SQLite has one
    // writer at a time, and Vert.x 5.0.7 runs the JDBC statements of a verticle one after another on
    // its worker queue, so a second connection waiting for the write lock would hold up the
    // statements of the transaction it waits for.
    String jdbcUrl = url.startsWith("jdbc:") ? url : embeddedUrl(dataDir(config), service);
    PoolOptions pool = new PoolOptions().setMaxSize(1).setShared(true).setName(jdbcUrl);
    return new Database(JDBCPool.pool(vertx, new JDBCConnectOptions().setJdbcUrl(jdbcUrl), pool), true);
  }

  /**
   * SQLite in write-ahead-log mode, one file per service. A commit is appended to the log before it
   * returns, so an acknowledged order survives {@code kill -9} (synchronous=NORMAL leaves the fsync
   * to checkpoints: a power cut may lose the last commits, a process crash cannot). Replicas in
   * separate processes share the file, a writer waiting up to {@link #LOCK_WAIT_MILLIS} for another.
   * H2, the default before, lost acknowledged commits to {@code kill -9} once it began reusing file
   * space (see EmbeddedDurabilityTest).
   */
  static String embeddedUrl(Path dataDir, String service) {
    String file = dataDir.toAbsolutePath().resolve(service + ".db").toString();
    return "jdbc:sqlite:" + file + "?journal_mode=WAL&synchronous=NORMAL&busy_timeout=" + LOCK_WAIT_MILLIS;
  }

  /** The embedded databases' directory, created if missing (once, at start). */
  private static Path dataDir(Config config) {
    Path dir = Path.of(config.get("DATA_DIR", "data"));
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory " + dir.toAbsolutePath(), e);
    }
  }

  public Pool pool() {
    return pool;
  }

  /**
   * Runs {@code work} in one transaction: committed if its future succeeds, rolled back if it fails.
   * On the embedded store the transaction takes the write lock when it begins (BEGIN IMMEDIATE), so
   * two replicas never deadlock upgrading a read to a write; Vert.x's own JDBC transactions would
   * also leave the connection out of auto-commit afterwards (5.0.7 sets it back to false), which
   * with SQLite keeps a transaction open on the idle connection.
   */
  public <T> Future<T> inTransaction(Function<SqlConnection, Future<T>> work) {
    if (!embedded) {
      return pool.withTransaction(work);
    }
    // A failure anywhere, a throw from work included, rolls back before the connection is reused.
    return pool.withConnection(conn -> conn.query("BEGIN IMMEDIATE").execute()
      .compose(begun -> work.apply(conn))
      .compose(result -> conn.query("COMMIT").execute().map(result),
        failure -> conn.query("ROLLBACK").execute().transform(rolledBack -> Future.failedFuture(failure))));
  }

  /**
   * Runs the (idempotent, {@code IF NOT EXISTS}) schema statements in order, in one transaction that
   * replicas starting together take one at a time: PostgreSQL's {@code CREATE TABLE IF NOT EXISTS}
   * is not safe against itself (two replicas race on the catalog's unique index, 23505), so the
   * transaction first takes an advisory lock; on the embedded store BEGIN IMMEDIATE does the same.
   */
  public Future<Void> migrate(List<String> statements) {
    return inTransaction(conn -> {
      // The lock, and no "already exists, skipping" notice logged for every table at every start.
      Future<Void> chain = embedded ? Future.succeededFuture()
        : conn.query("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")").execute()
          .compose(locked -> conn.query("SET LOCAL client_min_messages = warning").execute()).mapEmpty();
      for (String sql : statements) {
        chain = chain.compose(v -> conn.query(sql).execute().mapEmpty());
      }
      return chain;
    });
  }

  public Future<Void> close() {
    return pool.close();
  }
}
