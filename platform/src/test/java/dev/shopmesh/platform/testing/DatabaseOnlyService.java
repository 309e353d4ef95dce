package dev.shopmesh.platform.testing;

import dev.shopmesh.platform.boot.MeshContext;
import dev.shopmesh.platform.boot.MeshVerticle;
import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.db.Database;
import io.vertx.core.Future;
import io.vertx.grpc.server.Service;

import java.util.List;

/** A mesh service that opens its database and serves nothing else: a replica to test readiness with. */
public final class DatabaseOnlyService extends MeshVerticle {

  private final boolean migrating;

  public DatabaseOnlyService(String name, Config config) {
    this(name, config, false);
  }

  private DatabaseOnlyService(String name, Config config, boolean migrating) {
    super(name, config);
    this.migrating = migrating;
  }

  /** This replica's database, for a test to act on as the service's own statements would. */
  public Database db() {
    return database();
  }

  /** One that also creates a table at start, as every real service's start does. */
  public static DatabaseOnlyService migrating(String name, Config config) {
    return new DatabaseOnlyService(name, config, true);
  }

  @Override
  protected Future<List<Service>> setUp(MeshContext context) {
    Future<Void> schema = migrating
      ? database().migrate(List.of("CREATE TABLE IF NOT EXISTS started (id INTEGER PRIMARY KEY)"))
      : Future.succeededFuture(database()).mapEmpty();
    return schema.map(v -> List.of());
  }
}
