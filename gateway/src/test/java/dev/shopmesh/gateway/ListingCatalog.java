package dev.shopmesh.gateway;

import dev.shopmesh.platform.boot.MeshContext;
import dev.shopmesh.platform.boot.MeshVerticle;
import dev.shopmesh.platform.config.Config;
import dev.shopmesh.proto.catalog.v1.CatalogServiceGrpcService;
import dev.shopmesh.proto.catalog.v1.CatalogServiceService;
import dev.shopmesh.proto.catalog.v1.ListProductsRequest;
import dev.shopmesh.proto.catalog.v1.ListProductsResponse;
import io.vertx.core.Future;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.server.Service;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * A catalog-service replica whose ListProducts answers as {@code list} says: for tests of what the
 * gateway makes of a stream (a flood, a replica lost half way).
 */
final class ListingCatalog extends MeshVerticle {

  private final BiConsumer<ListProductsRequest, WriteStream<ListProductsResponse>> list;

  ListingCatalog(Config config, BiConsumer<ListProductsRequest, WriteStream<ListProductsResponse>> list) {
    super("catalog-service", config);
    this.list = list;
  }

  @Override
  protected Future<List<Service>> setUp(MeshContext context) {
    return Future.succeededFuture(List.of(CatalogServiceGrpcService.of(new CatalogServiceService() {
      @Override
      protected void listProducts(ListProductsRequest request, WriteStream<ListProductsResponse> response) {
        list.accept(request, response);
      }
    })));
  }
}
