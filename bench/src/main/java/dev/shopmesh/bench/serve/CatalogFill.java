package dev.shopmesh.bench.serve;

import dev.shopmesh.catalog.product.Seeds;
import dev.shopmesh.proto.catalog.v1.CatalogServiceGrpcClient;
import dev.shopmesh.proto.catalog.v1.ImportProductsRequest;
import dev.shopmesh.proto.catalog.v1.ImportProductsResponse;
import dev.shopmesh.proto.catalog.v1.Product;
import io.vertx.core.Future;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;

/**
 * Brings a freshly seeded catalog to {@link #PAGE_SIZE} products through catalog-service's
 * client-streaming ImportProducts (the gateway does not expose writes), so the catalog page the
 * benchmark reads is the size the issue asks for.
 */
public final class CatalogFill {

  /** Products on the catalog page: the seeds plus the ones imported here. */
  public static final int PAGE_SIZE = 50;

  /** The products imported here ({@link #productId} 1 to this), the ones the order benchmark buys. */
  public static final int IMPORTED = PAGE_SIZE - Seeds.PRODUCTS.size();

  /** Each imported product's stock, unless the order benchmark asks for more. */
  public static final int DEFAULT_STOCK = 1_000;

  private CatalogFill() {
  }

  /**
   * Streams the missing products, each with {@code stock} in stock, to the catalog at {@code catalog};
   * answers how many it imported. On a catalog that has them already (a PostgreSQL database used
   * before), the import overwrites them, stock included.
   */
  static Future<Integer> fill(GrpcClient grpc, SocketAddress catalog, int stock) {
    int missing = IMPORTED;
    return grpc.request(catalog, CatalogServiceGrpcClient.ImportProducts)
      .compose(request -> send(request, missing, stock))
      .map(ImportProductsResponse::getImported)
      .compose(imported -> imported == missing ? Future.succeededFuture(imported)
        : Future.failedFuture("the catalog imported " + imported + " of " + missing + " products"));
  }

  private static Future<ImportProductsResponse> send(GrpcClientRequest<ImportProductsRequest, ImportProductsResponse> request,
                                                    int count, int stock) {
    for (int i = 1; i < count; i++) {
      request.write(product(i, stock));
    }
    return request.end(product(count, stock)).compose(v -> request.response()).compose(response -> response.last());
  }

  /** The id of imported product {@code i}, 1 to {@link #IMPORTED}: {@code bench-01}… */
  public static String productId(int i) {
    return String.format("bench-%02d", i);
  }

  /** Shaped like the seeds: a short name, a sentence of description, a price, plenty of stock. */
  static ImportProductsRequest product(int i, int stock) {
    String id = productId(i);
    return ImportProductsRequest.newBuilder().setProduct(Product.newBuilder()
        .setId(id)
        .setName("Bench item " + i)
        .setDescription("A product the benchmark imports so the catalog page has fifty items.")
        .setPriceCents(1_000 + 37L * i)
        .setCurrency("USD")
        .setStock(stock))
      .build();
  }
}
