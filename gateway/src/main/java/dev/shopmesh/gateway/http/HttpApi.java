package dev.shopmesh.gateway.http;

import dev.shopmesh.gateway.audit.Audit;
import dev.shopmesh.gateway.catalog.ProductPageCache;
import dev.shopmesh.gateway.grpc.CatalogProxy;
import dev.shopmesh.gateway.grpc.OrderProxy;
import dev.shopmesh.platform.discovery.Replica;
import dev.shopmesh.platform.discovery.ReplicaCache;
import dev.shopmesh.platform.discovery.ServiceNames;
import dev.shopmesh.platform.error.Failure;
import dev.shopmesh.platform.error.Misspelling;
import dev.shopmesh.platform.json.StrictJson;
import dev.shopmesh.platform.metrics.Prometheus;
import dev.shopmesh.platform.metrics.ServedCalls;
import dev.shopmesh.platform.rpc.MeshClient;
import dev.shopmesh.platform.trace.Trace;
import dev.shopmesh.proto.catalog.v1.CatalogServiceGrpcClient;
import dev.shopmesh.proto.catalog.v1.GetProductPageRequest;
import dev.shopmesh.proto.catalog.v1.GetProductRequest;
import dev.shopmesh.proto.catalog.v1.ListProductsRequest;
import dev.shopmesh.proto.catalog.v1.ListProductsResponse;
import dev.shopmesh.proto.order.v1.GetOrderRequest;
import dev.shopmesh.proto.order.v1.Order;
import dev.shopmesh.proto.order.v1.OrderServiceGrpcClient;
import dev.shopmesh.proto.order.v1.OrderStatus;
import dev.shopmesh.proto.order.v1.PlaceOrderRequest;
import dev.shopmesh.proto.order.v1.Rejection;
import io.netty.handler.codec.http2.Http2Exception;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;

import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.function.Predicate;

/** The HTTP/JSON API under {@code /api}, {@code /health}, and the shop page at {@code /}. */
public final class HttpApi {

  static final String CATALOG = ServiceNames.CATALOG;
  static final String ORDERS = ServiceNames.ORDER;
  static final List<String> DEPENDENCIES = List.of(CATALOG, ServiceNames.PAYMENT, ORDERS);
  /** Orders are small; anything larger is not an order. */
  static final long MAX_BODY_BYTES = 64 * 1024;

  private final Vertx vertx;
  private final MeshClient client;
  private final ProductPageCache pages;
  private final ReplicaCache replicas;
  private final Logger log;
  private final MeshView mesh;
  private final Audit audit;
  private final String meshPage;
  private final RequestCounts requests = new RequestCounts();
  private final ServedCalls grpcAnswered;

  /**
   * @param meshPage the mesh page's HTML, read off the event loop as the gateway starts
   * @param grpcAnswered the counts of the gateway's gRPC port, shown with the HTTP port's in {@code /metrics}
   * @param self whether a registered replica is this gateway
   */
  public HttpApi(Vertx vertx, MeshClient client, ProductPageCache pages, ReplicaCache replicas, String meshPage,
                 ServedCalls grpcAnswered, Predicate<Replica> self, Logger log) {
    this.vertx = vertx;
    this.grpcAnswered = grpcAnswered;
    this.meshPage = meshPage;
    this.client = client;
    this.pages = pages;
    this.replicas = replicas;
    this.log = log;
    this.mesh = new MeshView(vertx, client, replicas, DEPENDENCIES, self);
    this.audit = new Audit(client);
  }

  public Router router() {
    Router router = Router.router(vertx);
    router.route().handler(requests);
    // Every request is served under its trace, and a failed one's answer names the trace its log
    // lines carry (Trace.nameInFailedAnswer). A query string that does not decode is a 400 on every
    // path, not only where a handler reads it (an order was placed under one). Parsed here once;
    // the failure handler below says why.
    router.route().handler(ctx -> {
      Trace.Served served = Trace.enter(ctx.request());
      ctx.addHeadersEndHandler(v -> {
        if (ctx.response().getStatusCode() >= 400) {
          Trace.nameInFailedAnswer(served);
        }
      });
      String header = RequestErrors.headerProblem(ctx.request());
      if (header != null) {
        // Two Host headers, a gzip transfer coding: Vert.x Web served these. What follows on the
        // connection cannot be read for sure (a body Netty did not frame as one is read as the
        // next request), as when Vert.x cannot read a request at all: closed once answered.
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        ctx.addEndHandler(sent -> ctx.request().connection().close());
        HttpErrors.send(log, ctx, Failure.invalid(ctx.request().method() + " " + ctx.request().path() + ": " + header), 400);
        return;
      }
      ctx.queryParams();
      ctx.next();
    });
    read(router, "/health").handler(this::health);
    read(router, "/api/mesh").handler(ctx -> reply(ctx, 200, mesh.snapshot()));
    read(router, "/metrics").handler(ctx -> mesh.snapshot().map(this::metrics).onComplete(
      text -> Answers.body(ctx, 200, Prometheus.CONTENT_TYPE, text), err -> HttpErrors.send(log, ctx, err)));
    read(router, "/api/audit").handler(ctx -> reply(ctx, 200, audit.run()));
    read(router, "/api/products").handler(this::products);
    read(router, "/api/products/:id").handler(ctx -> reply(ctx, 200, client
      .idempotent(CATALOG, CatalogServiceGrpcClient.GetProduct, GetProductRequest.newBuilder().setId(ctx.pathParam("id")).build())
      .map(r -> JsonMessages.product(r.getProduct()))));
    // An order is a JSON body, whatever its label. curl -d calls it a form, and BodyHandler would
    // hand a form to Netty's form decoder, which refuses a '%' or a body over 1 KiB: the label is
    // dropped first (a route of its own: Vert.x Web puts a body handler first on its route), so the
    // body is read as the bytes it is. Nor are uploads written anywhere
    // (Vert.x Web would keep each file of a multipart body in ./file-uploads, for good).
    RequestCounts.named(router.post("/api/orders"), "/api/orders").handler(ctx -> {
      if (!SameOrigin.allows(ctx.request())) {
        HttpErrors.send(log, ctx, new StatusException(GrpcStatus.PERMISSION_DENIED, "a page from "
          + SameOrigin.page(ctx.request()) + " may not place orders here: the HTTP API answers this gateway's own pages"
          + " and clients that are not browser pages (there is no CORS); nothing was placed"), 403);
        return;
      }
      String encoding = ctx.request().getHeader(HttpHeaders.CONTENT_ENCODING);
      if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
        // Read as it is, a gzipped order was "not a JSON object"; an order is too small to compress.
        // UNIMPLEMENTED, as gRPC answers a compression it does not have.
        HttpErrors.send(log, ctx, new StatusException(GrpcStatus.UNIMPLEMENTED, "Content-Encoding " + encoding
          + " is not accepted: send the JSON as it is"), 415);
        return;
      }
      ctx.request().headers().remove(HttpHeaders.CONTENT_TYPE);
      ctx.next();
    });
    router.post("/api/orders").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES)).handler(this::placeOrder);
    read(router, "/api/orders/:id").handler(ctx -> reply(ctx, 200, client
      .idempotent(ORDERS, OrderServiceGrpcClient.GetOrder, GetOrderRequest.newBuilder().setId(ctx.pathParam("id")).build())
      .map(r -> JsonMessages.order(r.getOrder()))));
    // The page, by its two names only: a catch-all route would make every path exist for GET, so
    // that a POST to a path that does not exist would be a 405 and a GET of /api/orders a 404.
    // Asked to be checked on every load, not cached as immutable for a day (Vert.x's default), so
    // a new version's page shows at once; file properties read off the event loop.
    read(router, "/")
      .handler(ctx -> {
        ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
        // StaticHandler names the type of what it sends on a GET only; a HEAD is told it too.
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/html;charset=UTF-8");
        ctx.next();
      })
      .handler(StaticHandler.create("webroot").setCachingEnabled(false).setAlwaysAsyncFS(true));
    // On a route of its own, StaticHandler would take the file for a directory and redirect.
    read(router, "/index.html").handler(ctx -> ctx.reroute("/"));
    read(router, "/mesh").handler(this::meshPage);
    read(router, "/mesh.html").handler(this::meshPage);
    RequestErrors errors = new RequestErrors(router, log);
    router.route().failureHandler(ctx -> {
      if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
        errors.routing(ctx, ctx.statusCode());
      } else if ((ctx.failure() instanceof ClosedChannelException || ctx.failure() instanceof HttpClosedException)
        && ctx.response().ended()) {
        // The page sent whole, its stream closed by a client that had it all (curl over HTTP/2): the
        // file's send then failed, logged as a 503, "a dependency is unavailable", or as a request
        // the client left before it was read.
        log.fine(ctx.request().method() + " " + ctx.request().path() + ": closed by the client as its answer ended");
      } else if (ctx.failure() instanceof HttpClosedException && ctx.response().closed()) {
        // No one to answer, and no dependency at fault: it was logged as a 503, "a dependency is unavailable".
        log.info(ctx.request().method() + " " + ctx.request().path()
          + ": the client closed the connection before its request was read whole");
      } else if (ctx.request().method() == HttpMethod.POST && !ctx.request().isEnded()
        && (ctx.failure() instanceof IllegalArgumentException || ctx.failure() instanceof Http2Exception)) {
        // What Netty makes of a body that breaks HTTP (a chunk size that is no number, a bad trailer;
        // over HTTP/2, a body longer or shorter than its content-length): the client's, not an
        // internal error logged with its stack. Netty closes the connection or resets the stream.
        // A POST's only: a GET's handlers run before its end is read, and their bugs are ours.
        HttpErrors.send(log, ctx, Failure.invalid("the request's body is not well-formed HTTP: " + ctx.failure().getMessage()));
      } else {
        HttpErrors.send(log, ctx, ctx.failure() != null ? ctx.failure() : new IllegalStateException("HTTP " + ctx.statusCode()));
      }
    });
    // 400: a path Vert.x cannot decode (a bad %-escape), refused before any route runs.
    for (int code : new int[] {400, 404, 405}) {
      router.errorHandler(code, ctx -> errors.routing(ctx, code));
    }
    return router;
  }

  /** Answers a request Vert.x could not read as HTTP (see {@link RequestErrors}): for the HTTP server. */
  public void invalidRequest(HttpServerRequest request) {
    RequestErrors.invalidRequest(log, request);
  }

  /** The mesh page, as read at start (StaticHandler serves a file at its route's root only, and redirected /mesh to /mesh/). */
  private void meshPage(RoutingContext ctx) {
    ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
    Answers.body(ctx, 200, "text/html;charset=UTF-8", meshPage);
  }

  /** A resource read with GET, and with HEAD (its headers alone, as load balancers' probes ask). */
  private static Route read(Router router, String path) {
    return RequestCounts.named(router.route(path).method(HttpMethod.GET).method(HttpMethod.HEAD), path);
  }

  /** {@code GET /metrics}: the mesh's replicas, then what the gateway's own two ports answered. */
  private String metrics(JsonObject mesh) {
    StringBuilder out = new StringBuilder(PrometheusText.of(mesh));
    requests.answered.writeTo(out);
    grpcAnswered.writeTo(out);
    return out.toString();
  }

  /**
   * The whole catalog, streamed as ListProducts relays it ({@link JsonArrayAnswer}), or with
   * {@code page_size} or {@code page_token} one page of it, the next page's address in a
   * {@code Link: <…>; rel="next"} header (RFC 8288) until the last page.
   */
  private void products(RoutingContext ctx) {
    noMisspeltParameter(ctx, PAGE_PARAMETERS);
    String size = once(ctx.queryParams().getAll("page_size"), "page_size");
    String token = once(ctx.queryParams().getAll("page_token"), "page_token");
    if (size == null && token == null) {
      CatalogProxy.listProducts(client, vertx, ListProductsRequest.getDefaultInstance(),
        new JsonArrayAnswer<ListProductsResponse>(ctx, log, p -> JsonMessages.product(p.getProduct())).caller());
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

  private static final Set<String> PAGE_PARAMETERS = Set.of("page_size", "page_token");

  /**
   * Refuses a query parameter that is not one of {@code known} but a misspelling of one: a parameter
   * not known is ignored, as JSON fields are ({@link JsonFields#noMisspelt}), but {@code ?pageSize=10}
   * answered the whole catalog, streamed, as if no page had been asked for.
   */
  private static void noMisspeltParameter(RoutingContext ctx, Set<String> known) {
    Misspelling.typoAmong(ctx.queryParams().names(), known).ifPresent(typo -> {
      throw Failure.invalid(typo.getKey() + " is not a parameter here (did you mean " + typo.getValue() + "?)");
    });
  }

  /**
   * The one value of a query parameter or header, null when absent: sent twice (page_size=5&page_size=6,
   * two Idempotency-Key headers), the first was used without a word.
   */
  private static String once(List<String> values, String name) {
    if (values.size() > 1) {
      throw Failure.invalid(name + " is given " + values.size() + " times; give it once");
    }
    return values.isEmpty() ? null : values.get(0);
  }

  private static int pageSize(String size) {
    if (size == null) {
      return 0;
    }
    // ASCII digits only: Integer.parseInt reads any script's ("١" was a page of one).
    if (!WHOLE_NUMBER.matcher(size).matches()) {
      throw Failure.invalid("page_size must be a whole number, got '" + size + "'");
    }
    try {
      return Integer.parseInt(size);
    } catch (NumberFormatException e) {
      throw Failure.invalid("page_size must be between 1 and 500 (0 for 50), got " + size);
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
      } else {
        // A refusal the client sees, logged once as errors are (a business outcome: INFO).
        log.info("POST /api/orders -> " + code + " " + order.getRejection().name().substring("REJECTION_".length())
          + ": order " + order.getId() + ": " + order.getReason());
      }
      send(ctx, code, JsonMessages.order(order));
    }, err -> HttpErrors.send(log, ctx, err));
  }

  private static final Pattern WHOLE_NUMBER = Pattern.compile("-?[0-9]+");

  private static PlaceOrderRequest orderRequest(RoutingContext ctx) {
    Object body;
    try {
      body = ctx.body().buffer() == null ? null : StrictJson.decode(ctx.body().buffer());
    } catch (StrictJson.Invalid e) {
      // Said as what it is: "must be a JSON object" read wrong for an object with text after it.
      throw Failure.invalid("the body is not valid JSON (it must be one JSON object): " + e.getMessage());
    }
    if (!(body instanceof JsonObject order)) {
      throw Failure.invalid("the body must be a JSON object");
    }
    for (String grpcKey : List.of("idempotencyKey", "idempotency_key")) {
      if (order.getValue(grpcKey) != null) {
        // gRPC's field, in its JSON mapping: ignored as an unknown field, it left the order without
        // a key, and a retry of it placed a second one.
        throw Failure.invalid(grpcKey + " goes in the Idempotency-Key header here, not in the body");
      }
    }
    String key = utf8(once(ctx.request().headers().getAll("Idempotency-Key"), "the Idempotency-Key header"), "Idempotency-Key");
    if (key != null && key.isEmpty()) {
      // HTTP strips the spaces around a value: a key of spaces, or a template's empty variable,
      // placed the order with no key at all, so that its retries placed it again.
      throw Failure.invalid("the Idempotency-Key header is empty: send a key, or no header");
    }
    // Characters as order-service counts them: an emoji is one, where Java's length() said two.
    if (key != null && key.codePointCount(0, key.length()) > MAX_KEY_CHARS) {
      // Named as the caller sent it: order-service would name its field, idempotencyKey.
      throw Failure.invalid("the Idempotency-Key header must be at most " + MAX_KEY_CHARS + " characters");
    }
    return JsonMessages.placeOrder(order, key == null ? "" : key);
  }

  /**
   * A header's value as the UTF-8 text its bytes are: Vert.x reads each byte as one ISO-8859-1
   * character, so a key "clé" came back in messages as "clÃ©", and its length counted bytes.
   */
  private static String utf8(String header, String name) {
    if (header == null) {
      return null;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(header.getBytes(StandardCharsets.ISO_8859_1))).toString();
    } catch (CharacterCodingException e) {
      throw Failure.invalid("the " + name + " header must be UTF-8 text");
    }
  }

  /** order-service's limit on idempotency keys. */
  static final int MAX_KEY_CHARS = 200;

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
    if (!up) {
      ctx.response().putHeader(HttpHeaders.RETRY_AFTER, HttpErrors.RETRY_AFTER_SECONDS);
    }
    send(ctx, up ? 200 : 503, new JsonObject().put("status", up ? "UP" : "DEGRADED").put("replicas", registered).put("ready", ready));
  }

  private void reply(RoutingContext ctx, int code, Future<?> body) {
    body.onComplete(json -> send(ctx, code, json), err -> HttpErrors.send(log, ctx, err));
  }

  private static void send(RoutingContext ctx, int code, Object json) {
    String encoded = json instanceof JsonObject o ? o.encode() : ((JsonArray) json).encode();
    Answers.json(ctx, code, encoded);
  }
}
