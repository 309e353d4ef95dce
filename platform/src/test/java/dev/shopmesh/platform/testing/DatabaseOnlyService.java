package dev.shopmesh.platform.testing;

import dev.shopmesh.platform.boot.MeshContext;
import dev.shopmesh.platform.boot.MeshVerticle;
import dev.shopmesh.platform.config.Config;
import io.vertx.core.Future;
import io.vertx.grpc.server.Service;

import java.util.List;

/** A mesh service that opens its database and serves nothing else: a replica to test readiness with. */
public final class DatabaseOnlyService extends MeshVerticle {

  private final String name;

  public DatabaseOnlyService(String name, Config config) {
    super(config);
    this.name = name;
  }

  @Override
  public String serviceName() {
    return name;
  }

  @Override
  protected Future<List<Service>> setUp(MeshContext context) {
    database();
    return Future.succeededFuture(List.of());
  }
}
