package dev.shopmesh.gateway.http;

import dev.shopmesh.gateway.catalog.ProductPageCache;
import dev.shopmesh.gateway.grpc.OrderProxy;
import dev.shopmesh.platform.discovery.ReplicaCache;
import dev.shopmesh.platform.error.Failure;
import dev.shopmesh.platform.rpc.MeshClient;
import dev.shopmesh.proto.catalog.v1.CatalogServiceGrpcClient;
import dev.shopmesh.proto.catalog.v1.GetProductPageRequest;
import dev.shopmesh.proto.catalog.v1.GetProductRequest;
import dev.shopmesh.proto.catalog.v1.ListProductsRequest;
import dev.shopmesh.proto.order.v1.GetOrderRequest;
import dev.shopmesh.proto.order.v1.Order;
import dev.shopmesh.proto.order.v1.OrderServiceGrpcClient;
import dev.shopmesh.proto.order.v1.OrderStatus;
import dev.shopmesh.proto.order.v1.PlaceOrderRequest;
import dev.shopmesh.proto.order.v1.Rejection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/** The HTTP/JSON API under {@code /api}, {@code /health}, and the shop page at {@code /}. */
public final class HttpApi {

  static final String CATALOG = "catalog-service";
  static final String ORDERS = "order-service";
  static final List<String> DEPENDENCIES = List.of(CATALOG, "payment-service", ORDERS);
  /** Orders are small; anything larger is not an order. */
  static final long MAX_BODY_BYTES = 64 * 1024;

  private final Vertx vertx;
  private final MeshClient client;
  private final ProductPageCache pages;
  private final ReplicaCache replicas;
  private final Logger log;
  private final MeshView mesh;
  private final Audit audit;

  public HttpApi(Vertx vertx, MeshClient client, ProductPageCache pages, ReplicaCache replicas, Logger log) {
    this.vertx = vertx;
    this.client = client;
    this.pages = pages;
    this.replicas = replicas;
    this.log = log;
    this.mesh = new MeshView(client, replicas);
    this.audit = new Audit(client);
  }

  public Router router() {
    Router router = Router.router(vertx);
    router.get("/health").handler(this::health);
    router.get("/api/mesh").handler(ctx -> reply(ctx, 200, mesh.snapshot()));
    router.get("/api/audit").handler(ctx -> reply(ctx, 200, audit.run()));
    router.get("/api/products").handler(this::products);
    router.get("/api/products/:id").handler(ctx -> reply(ctx, 200, client
      .idempotent(CATALOG, CatalogServiceGrpcClient.GetProduct, GetProductRequest.newBuilder().setId(ctx.pathParam("id")).build())
      .map(r -> JsonMessages.product(r.getProduct()))));
    // An order is a JSON body, whatever its label. curl -d calls it a form, and BodyHandler would
    // hand a form to Netty's form decoder, which refuses a '%' or a body over 1 KiB: the label is
    // dropped first (a route of its own: Vert.x Web puts a body handler first on its route), so the
    // body is read as the bytes it is. Nor are uploads written anywhere
    // (Vert.x Web would keep each file of a multipart body in ./file-uploads, for good).
    router.post("/api/orders").handler(ctx -> {
      ctx.request().headers().remove(HttpHeaders.CONTENT_TYPE);
      ctx.next();
    });
    router.post("/api/orders").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES)).handler(this::placeOrder);
    router.get("/api/orders/:id").handler(ctx -> reply(ctx, 200, client
      .idempotent(ORDERS, OrderServiceGrpcClient.GetOrder, GetOrderRequest.newBuilder().setId(ctx.pathParam("id")).build())
      .map(r -> JsonMessages.order(r.getOrder()))));
    // GET and HEAD only, so another method on an API path is a 405, not a miss of the pages.
    // Asked to be checked on every load, not cached as immutable for a day (Vert.x's default), so
    // a new version's page shows at once; file properties read off the event loop.
    router.route("/*").method(HttpMethod.GET).method(HttpMethod.HEAD)
      .handler(ctx -> {
        ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
        ctx.next();
      })
      .handler(StaticHandler.create("webroot").setCachingEnabled(false).setAlwaysAsyncFS(true));
    router.route().failureHandler(ctx -> {
      if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
        routingError(ctx, ctx.statusCode());
      } else {
        HttpErrors.send(log, ctx, ctx.failure() != null ? ctx.failure() : new IllegalStateException("HTTP " + ctx.statusCode()));
      }
    });
    router.errorHandler(404, ctx -> routingError(ctx, 404));
    router.errorHandler(405, ctx -> routingError(ctx, 405));
    return router;
  }

  /**
   * The whole catalog, or with {@code page_size} or {@code page_token} one page of it, the next page's
   * address in a {@code Link: <…>; rel="next"} header (RFC 8288) until the last page.
   */
  private void products(RoutingContext ctx) {
    String size = ctx.queryParams().get("page_size");
    String token = ctx.queryParams().get("page_token");
    if (size == null && token == null) {
      reply(ctx, 200, client.list(CATALOG, CatalogServiceGrpcClient.ListProducts, ListProductsRequest.getDefaultInstance())
        .map(all -> new JsonArray(all.stream().map(p -> (Object) JsonMessages.product(p.getProduct())).toList())));
      return;
    }
    Future.succeededFuture(GetProductPageRequest.newBuilder().setPageSize(pageSize(size)).setPageToken(token == null ? "" : token).build())
      .compose(pages::page)
      .onComplete(page -> {
        if (!page.getNextPageToken().isEmpty()) {
          ctx.response().putHeader("link", "</api/products?page_size=" + page.getProductsCount()
            + "&page_token=" + page.getNextPageToken() + ">; rel=\"next\"");
        }
        JsonArray products = new JsonArray(new ArrayList<>(page.getProductsCount()));
        page.getProductsList().forEach(p -> products.add(JsonMessages.product(p)));
        send(ctx, 200, products);
      }, err -> HttpErrors.send(log, ctx, err));
  }

  private static int pageSize(String size) {
    try {
      return size == null ? 0 : Integer.parseInt(size);
    } catch (NumberFormatException e) {
      throw Failure.invalid("page_size must be a whole number, got '" + size + "'");
    }
  }

  /**
   * 201 with the confirmed order; a rejected order is answered with its own code and the order as
   * body: 402 when the payment was declined, 409 when stock was short.
   */
  private void placeOrder(RoutingContext ctx) {
    Future<Order> placed = Future.succeededFuture(ctx)
      .map(HttpApi::orderRequest)
      .compose(request -> OrderProxy.placeOrder(client, request))
      .map(r -> r.getOrder());
    placed.onComplete(order -> {
      int code = order.getStatus() != OrderStatus.ORDER_STATUS_REJECTED ? 201
        : order.getRejection() == Rejection.REJECTION_PAYMENT_DECLINED ? 402 : 409;
      if (code == 201) {
        ctx.response().putHeader("location", "/api/orders/" + order.getId());
      }
      send(ctx, code, JsonMessages.order(order));
    }, err -> HttpErrors.send(log, ctx, err));
  }

  private static PlaceOrderRequest orderRequest(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      throw Failure.invalid("the body must be a JSON object");
    }
    if (body == null) {
      throw Failure.invalid("the body must be a JSON object");
    }
    String key = ctx.request().getHeader("Idempotency-Key");
    return JsonMessages.placeOrder(body, key == null ? "" : key);
  }

  /**
   * UP while every dependency has a replica that does not say it is unready, its database
   * unreachable ({@link MeshClient#ready}); counting registered replicas only, it said UP with
   * PostgreSQL stopped.
   */
  private void health(RoutingContext ctx) {
    JsonObject registered = new JsonObject();
    JsonObject ready = new JsonObject();
    DEPENDENCIES.forEach(s -> {
      registered.put(s, replicas.replicas(s).size());
      ready.put(s, client.ready(s));
    });
    boolean up = DEPENDENCIES.stream().allMatch(s -> ready.getInteger(s) > 0);
    send(ctx, up ? 200 : 503, new JsonObject().put("status", up ? "UP" : "DEGRADED").put("replicas", registered).put("ready", ready));
  }

  private void reply(RoutingContext ctx, int code, Future<?> body) {
    body.onComplete(json -> send(ctx, code, json), err -> HttpErrors.send(log, ctx, err));
  }

  private static void send(RoutingContext ctx, int code, Object json) {
    String encoded = json instanceof JsonObject o ? o.encode() : ((JsonArray) json).encode();
    ctx.response().setStatusCode(code).putHeader("content-type", "application/json").end(encoded);
  }

  /**
   * A client error Vert.x Web chose the code of, in the API's JSON shape and with that code: no
   * route for the path or the method, a body over the limit or one it could not decode.
   */
  private void routingError(RoutingContext ctx, int code) {
    String request = ctx.request().method() + " " + ctx.request().path();
    Failure failure = switch (code) {
      case 404 -> Failure.notFound("no such resource: " + request);
      case 405 -> Failure.invalid(request + ": the method is not allowed on this path");
      case 413 -> Failure.invalid("the body must be at most " + MAX_BODY_BYTES + " bytes");
      default -> Failure.invalid(request + ": the request is malformed (HTTP " + code + ")");
    };
    HttpErrors.send(log, ctx, failure, code);
  }
}
