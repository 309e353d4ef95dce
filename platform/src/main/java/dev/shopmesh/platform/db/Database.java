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

import java.nio.file.Path;
import java.util.List;

/**
 * A service's database, as one Vert.x {@link Pool} whichever engine is behind it, so that stores
 * have one set of SQL ({@code SqlTemplate} renders the placeholders each driver wants).
 * <ul>
 *   <li>{@code SHOPMESH_DB_URL} unset: embedded H2 in a file per service under
 *   {@code SHOPMESH_DATA_DIR}; nothing to install.</li>
 *   <li>{@code SHOPMESH_DB_URL=postgresql://user:pass@host:5432/db}: PostgreSQL through the
 *   reactive client.</li>
 * </ul>
 */
public final class Database {

  private Database() {
  }

  public static Pool open(Vertx vertx, Config config, String service) {
    PoolOptions pool = new PoolOptions().setMaxSize(config.getInt("DB_POOL_SIZE", 8));
    String url = config.get("DB_URL", "");
    if (url.startsWith("postgres")) {
      return PgBuilder.pool().with(pool).connectingTo(PgConnectOptions.fromUri(url)).using(vertx).build();
    }
    String jdbcUrl = url.startsWith("jdbc:") ? url : embeddedUrl(Path.of(config.get("DATA_DIR", "data")), service);
    return JDBCPool.pool(vertx, new JDBCConnectOptions().setJdbcUrl(jdbcUrl), pool);
  }

  /**
   * H2 in PostgreSQL mode, one file per service. WRITE_DELAY=0 writes each commit to the file
   * before the commit returns, so an acknowledged order survives {@code kill -9} of the process.
   */
  static String embeddedUrl(Path dataDir, String service) {
    String file = dataDir.toAbsolutePath().resolve(service).toString();
    return "jdbc:h2:file:" + file + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;WRITE_DELAY=0;AUTO_SERVER=TRUE";
  }

  /** Runs the (idempotent, {@code IF NOT EXISTS}) schema statements in order. */
  public static Future<Void> migrate(Pool pool, List<String> statements) {
    Future<Void> chain = Future.succeededFuture();
    for (String sql : statements) {
      chain = chain.compose(v -> pool.query(sql).execute().mapEmpty());
    }
    return chain;
  }
}
