package dev.shopmesh.catalog;

import dev.shopmesh.catalog.api.CatalogGrpc;
import dev.shopmesh.catalog.product.Seeds;
import dev.shopmesh.catalog.store.CatalogStore;
import dev.shopmesh.platform.boot.MeshContext;
import dev.shopmesh.platform.boot.MeshVerticle;
import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.discovery.ServiceNames;
import dev.shopmesh.proto.catalog.v1.CatalogServiceGrpcService;
import io.vertx.core.Future;
import io.vertx.grpc.server.Service;

import java.util.List;

/** catalog-service: products, prices and stock; seeds a dozen products into an empty catalog. */
public final class CatalogVerticle extends MeshVerticle {

  public static final String NAME = ServiceNames.CATALOG;

  public CatalogVerticle(Config config) {
    super(NAME, config);
  }

  @Override
  protected Future<List<Service>> setUp(MeshContext context) {
    CatalogStore store = new CatalogStore(database());
    return store.migrate()
      .compose(v -> store.seedIfEmpty(Seeds.PRODUCTS))
      .onSuccess(seeded -> {
        if (seeded > 0) {
          log.info("seeded " + seeded + " products into an empty catalog");
        }
      })
      .map(v -> List.of(CatalogServiceGrpcService.of(new CatalogGrpc(store, log))));
  }
}
