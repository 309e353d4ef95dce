package dev.shopmesh.bench.plan;

import dev.shopmesh.bench.check.Expectations;
import dev.shopmesh.bench.load.Call;
import dev.shopmesh.bench.load.GrpcFrames;
import dev.shopmesh.bench.load.Protocol;
import dev.shopmesh.bench.serve.CatalogFill;
import dev.shopmesh.proto.catalog.v1.GetProductPageRequest;
import dev.shopmesh.proto.catalog.v1.GetProductPageResponse;
import dev.shopmesh.proto.catalog.v1.ListProductsRequest;
import dev.shopmesh.proto.catalog.v1.ListProductsResponse;
import greeting.Greeting.HelloRequest;
import greeting.Greeting.HelloResponse;

/** The calls the benchmark makes, each with the answer it must get. */
public final class Calls {

  /** The classic greeting with no name: answered {@code Hello World!}. */
  public static final Call SAY_HELLO = new Call("SayHello", Protocol.GRPC, "/greeting.GreetingService/SayHello",
    GrpcFrames.frame(HelloRequest.getDefaultInstance()),
    Expectations.grpc(1, message -> {
      String text = HelloResponse.parseFrom(message).getMessage();
      return text.equals("Hello World!") ? null : "answered '" + text + "'";
    }));

  /** The catalog page over gRPC: one message of 50 products, served from the gateway's page cache. */
  public static final Call GET_PRODUCT_PAGE = new Call("GetProductPage", Protocol.GRPC, "/shop.catalog.v1.CatalogService/GetProductPage",
    GrpcFrames.frame(GetProductPageRequest.newBuilder().setPageSize(CatalogFill.PAGE_SIZE).build()),
    Expectations.grpc(1, message -> {
      int products = GetProductPageResponse.parseFrom(message).getProductsCount();
      return products == CatalogFill.PAGE_SIZE ? null : products + " products on the page";
    }));

  /** The whole catalog streamed over gRPC: the gateway relays catalog-service's stream, one message a product. */
  public static final Call LIST_PRODUCTS = new Call("ListProducts", Protocol.GRPC, "/shop.catalog.v1.CatalogService/ListProducts",
    GrpcFrames.frame(ListProductsRequest.getDefaultInstance()),
    Expectations.grpc(CatalogFill.PAGE_SIZE, message ->
      ListProductsResponse.parseFrom(message).getProduct().getId().isEmpty() ? "a product without an id" : null));

  /**
   * The gateway has no REST hello, so its smallest REST call stands in: a JSON object built from
   * the discovery cache, no call to another service.
   */
  public static final Call HEALTH = new Call("GET /health", Protocol.REST, "/health", null,
    Expectations.jsonObject(json -> "UP".equals(json.getString("status")) ? null : "status " + json.getString("status")));

  /** The same catalog page over REST: the same cached page, answered as one JSON array. */
  public static final Call PRODUCT_PAGE = new Call("GET /api/products?page_size=50", Protocol.REST,
    "/api/products?page_size=" + CatalogFill.PAGE_SIZE, null, Expectations.jsonArray(CatalogFill.PAGE_SIZE));

  private Calls() {
  }
}
