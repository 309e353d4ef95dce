package dev.shopmesh.platform.db;

import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A child JVM for {@link EmbeddedDurabilityTest}: opens the embedded database in {@code args[0]}
 * through {@link Database#open} and keeps {@code args[1]} single-row inserts in flight until it is
 * killed, printing each id on stdout once its commit has returned. {@code System.out} flushes at
 * every line, so a printed id is in the file the parent redirects stdout to, and a kill cannot take
 * it back.
 */
public final class CommitStream {

  static final String SERVICE = "durability";
  static final List<String> SCHEMA = List.of("CREATE TABLE IF NOT EXISTS acked (id BIGINT PRIMARY KEY, payload VARCHAR(100) NOT NULL)");

  private CommitStream() {
  }

  static Config config(String dataDir) {
    return Config.of(Map.of(Config.PREFIX + "DATA_DIR", dataDir));
  }

  public static void main(String[] args) {
    Database database = Database.open(Vertx.vertx(), config(args[0]), SERVICE);
    Await.result(database.migrate(SCHEMA));
    Pool pool = database.pool();
    System.out.println("ready");
    AtomicLong next = new AtomicLong();
    for (int i = 0; i < Integer.parseInt(args[1]); i++) {
      insertNext(pool, next);
    }
  }

  private static void insertNext(Pool pool, AtomicLong next) {
    long id = next.incrementAndGet();
    pool.preparedQuery("INSERT INTO acked (id, payload) VALUES (?, ?)")
      .execute(Tuple.of(id, "row " + id + " committed before its id was printed"))
      .onSuccess(rows -> {
        System.out.println(id);
        insertNext(pool, next);
      })
      .onFailure(err -> {
        err.printStackTrace();
        Runtime.getRuntime().halt(2);
      });
  }
}
