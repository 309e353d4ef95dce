package dev.shopmesh.bench.plan;

import dev.shopmesh.bench.check.Expectations;
import dev.shopmesh.bench.load.Call;
import dev.shopmesh.bench.load.GrpcFrames;
import dev.shopmesh.bench.load.Protocol;
import dev.shopmesh.bench.serve.CatalogFill;
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

  /** The catalog page over gRPC: the gateway relays catalog-service's stream, one message a product. */
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

  /** The catalog page over REST: the gateway reads the same stream and answers one JSON array. */
  public static final Call PRODUCTS = new Call("GET /api/products", Protocol.REST, "/api/products", null,
    Expectations.jsonArray(CatalogFill.PAGE_SIZE));

  private Calls() {
  }
}
