package dev.shopmesh.gateway.grpc;

import dev.shopmesh.gateway.catalog.ProductPageCache;
import dev.shopmesh.platform.discovery.ServiceNames;
import dev.shopmesh.platform.rpc.MeshClient;
import dev.shopmesh.platform.rpc.Rpc;
import dev.shopmesh.proto.catalog.v1.CatalogServiceGrpcClient;
import dev.shopmesh.proto.catalog.v1.CatalogServiceGrpcService;
import dev.shopmesh.proto.catalog.v1.CatalogServiceService;
import dev.shopmesh.proto.catalog.v1.GetProductPageRequest;
import dev.shopmesh.proto.catalog.v1.GetProductPageResponse;
import dev.shopmesh.proto.catalog.v1.GetProductRequest;
import dev.shopmesh.proto.catalog.v1.GetProductResponse;
import dev.shopmesh.proto.catalog.v1.ListProductsRequest;
import dev.shopmesh.proto.catalog.v1.ListProductsResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.server.Service;

import java.util.logging.Logger;

/**
 * The catalog's read calls, served at the gateway and proxied to catalog-service. The rest
 * (ImportProducts, ReserveStock, ReleaseStock, ListReservations) are catalog-service's own, for the
 * mesh: not bound here, they answer UNIMPLEMENTED "Method not found: …" as any unknown method does.
 */
public final class CatalogProxy extends CatalogServiceService {

  public static final String CATALOG = ServiceNames.CATALOG;

  private final Vertx vertx;
  private final MeshClient client;
  private final ProductPageCache pages;
  private final Logger log;

  public CatalogProxy(Vertx vertx, MeshClient client, ProductPageCache pages, Logger log) {
    this.vertx = vertx;
    this.client = client;
    this.pages = pages;
    this.log = log;
  }

  /** The proxy as the gateway serves it: its read methods only. */
  public static Service service(CatalogProxy proxy) {
    return CatalogServiceGrpcService.builder(proxy)
      .bind(CatalogServiceGrpcService.GetProduct, CatalogServiceGrpcService.GetProductPage, CatalogServiceGrpcService.ListProducts)
      .build();
  }

  @Override
  public Future<GetProductResponse> getProduct(GetProductRequest request) {
    return Rpc.reply(log, "GetProduct", client.idempotent(CATALOG, CatalogServiceGrpcClient.GetProduct, request));
  }

  @Override
  public Future<GetProductPageResponse> getProductPage(GetProductPageRequest request) {
    return Rpc.reply(log, "GetProductPage", pages.page(request));
  }

  /** Relayed as {@link #listProducts(MeshClient, Vertx, ListProductsRequest, Relay.Caller)} says. */
  @Override
  protected void listProducts(ListProductsRequest request, WriteStream<ListProductsResponse> response) {
    listProducts(client, vertx, request, Relay.Caller.grpc(log, "ListProducts", response));
  }

  /**
   * Relays the catalog, or the products after the request's {@code after_id}, to {@code to}:
   * resumed after the last product relayed when the replica serving it stops or is lost
   * ({@link Relay#listing}), so that each product is sent once. For the gRPC port and for
   * {@code GET /api/products}.
   */
  public static void listProducts(MeshClient client, Vertx vertx, ListProductsRequest request, Relay.Caller<ListProductsResponse> to) {
    Relay.listing(to, () -> client.stream(CATALOG, CatalogServiceGrpcClient.ListProducts),
      (call, last) -> call.end(last == null ? request : request.toBuilder().setAfterId(last).build()),
      vertx, client.deadlineMillis(), listed -> listed.getProduct().getId()).start();
  }
}
