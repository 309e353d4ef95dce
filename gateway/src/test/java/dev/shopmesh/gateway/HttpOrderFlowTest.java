package dev.shopmesh.gateway;

import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.LogCapture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.BodyHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.logging.Level;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP/JSON API as a user drives it with curl: catalog, orders, and every documented error. */
class HttpOrderFlowTest {

  @TempDir
  static Path data;
  static TestMesh mesh;

  @BeforeAll
  static void start() {
    mesh = TestMesh.start(data);
  }

  @AfterAll
  static void stop() {
    mesh.close();
  }

  @Test
  void theCatalogListsTheSeededProductsWithPricesInMinorUnits() {
    TestMesh.Reply reply = mesh.get("/api/products");
    assertThat(reply.status()).isEqualTo(200);
    JsonArray products = reply.array();
    assertThat(products.size()).isGreaterThanOrEqualTo(12);
    JsonObject first = products.getJsonObject(0);
    assertThat(first.fieldNames()).contains("id", "name", "priceCents", "currency", "stock");
    assertThat(first.getValue("priceCents")).isInstanceOf(Number.class);
    assertThat(mesh.get("/api/products/mug").json().getString("name")).isEqualTo("Mug");
  }

  @Test
  void theCatalogComesInPagesLinkedByTheirNextPageHeader() {
    List<String> all = mesh.get("/api/products").array().stream().map(p -> ((JsonObject) p).getString("id")).toList();
    List<String> paged = new ArrayList<>();
    String next = "/api/products?page_size=5";
    while (next != null) {
      TestMesh.Reply page = mesh.get(next);
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.array().size()).isBetween(1, 5);
      page.array().forEach(p -> paged.add(((JsonObject) p).getString("id")));
      String link = page.header("link");
      next = link == null ? null : link.substring(link.indexOf('<') + 1, link.indexOf('>'));
    }
    assertThat(paged).isEqualTo(all);
    TestMesh.Reply badSize = mesh.get("/api/products?page_size=many");
    assertThat(badSize.status()).isEqualTo(400);
    assertThat(badSize.json().getString("message")).contains("page_size");
    // An Arabic-Indic one: Java reads it as 1, which no client means by it.
    TestMesh.Reply otherDigits = mesh.get("/api/products?page_size=%D9%A1");
    assertThat(otherDigits.status()).isEqualTo(400);
    assertThat(otherDigits.json().getString("message")).isEqualTo("page_size must be a whole number, got '\u0661'");
    TestMesh.Reply badToken = mesh.get("/api/products?page_token=forged");
    assertThat(badToken.status()).isEqualTo(400);
    assertThat(badToken.json().getString("message")).contains("page_token", "the Link header");
  }

  @Test
  void anUnknownProductOrOrderIs404WithAMessage() {
    TestMesh.Reply product = mesh.get("/api/products/no-such-thing");
    assertThat(product.status()).isEqualTo(404);
    assertThat(product.json().getString("message")).contains("no-such-thing");
    assertThat(mesh.get("/api/orders/" + UUID.randomUUID()).status()).isEqualTo(404);
  }

  /** What a Prometheus server scrapes: each replica as /api/mesh counts it, and the calls an order made. */
  @Test
  void metricsForPrometheusCountTheCallsEachReplicaTook() {
    String product = Shop.newProduct(mesh, 300, 10);
    assertThat(mesh.post("/api/orders", Shop.order(product, 1, Shop.APPROVED_CARD)).status()).isEqualTo(201);
    java.util.regex.Pattern paid = java.util.regex.Pattern.compile(
      "(?m)^shopmesh_replica_calls_total\\{service=\"payment-service\",replica=\"[^\"]+\"} [1-9][0-9]*$");
    // Callers report their counts with their heartbeats.
    Await.until("payment-service's calls reported", Duration.ofSeconds(10), () -> paid.matcher(mesh.get("/metrics").body()).find());

    TestMesh.Reply metrics = mesh.get("/metrics");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(metrics.body()).contains("# TYPE shopmesh_replica_calls_total counter\n", "shopmesh_replicas{service=\"order-service\"} 1\n");
    // And what payment-service says it answered, as its heartbeat publishes it.
    java.util.regex.Pattern charged = java.util.regex.Pattern.compile("(?m)^shopmesh_replica_grpc_server_calls_total\\{service=\"payment-service\","
      + "replica=\"[^\"]+\",method=\"/shop.payment.v1.PaymentService/Charge\",code=\"OK\"} [1-9][0-9]*$");
    java.util.regex.Pattern timed = java.util.regex.Pattern.compile("(?m)^shopmesh_replica_grpc_server_call_duration_seconds_count"
      + "\\{service=\"payment-service\",replica=\"[^\"]+\",method=\"/shop.payment.v1.PaymentService/Charge\"} [1-9][0-9]*$");
    Await.until("payment-service's answers reported, and their latency", Duration.ofSeconds(10), () -> {
      String body = mesh.get("/metrics").body();
      return charged.matcher(body).find() && timed.matcher(body).find();
    });
  }

  /**
   * The gateway's own requests, as a dashboard charts them: by route as declared (not one series per
   * product id), method and code, with their latency; gRPC calls by method and status.
   */
  @Test
  void metricsCountWhatTheGatewayAnsweredByRouteAndStatus() {
    String product = "shopmesh_http_server_requests_total{method=\"GET\",route=\"/api/products/:id\",code=\"404\"}";
    String page = "shopmesh_http_server_requests_total{method=\"GET\",route=\"/\",code=\"200\"}";
    String unmatched = "shopmesh_http_server_requests_total{method=\"GET\",route=\"unmatched\",code=\"404\"}";
    String hello = "shopmesh_grpc_server_calls_total{method=\"/greeting.GreetingService/SayHello\",code=\"OK\"}";
    String productLatency = "shopmesh_http_server_request_duration_seconds_count{method=\"GET\",route=\"/api/products/:id\"}";
    Map<String, Long> before = counts(product, page, unmatched, hello, productLatency);

    assertThat(mesh.get("/api/products/no-such-" + UUID.randomUUID()).status()).isEqualTo(404);
    assertThat(mesh.get("/api/products/no-such-" + UUID.randomUUID()).status()).isEqualTo(404);
    // Served by "/" after a reroute: counted once, there.
    assertThat(mesh.get("/index.html").status()).isEqualTo(200);
    assertThat(mesh.get("/no/such/path").status()).isEqualTo(404);
    Await.result(greeting.GreetingServiceGrpcClient.create(mesh.grpc(), mesh.grpcAddress())
      .sayHello(greeting.Greeting.HelloRequest.newBuilder().setName("metrics").build()));

    Map<String, Long> after = counts(product, page, unmatched, hello, productLatency);
    assertThat(after.get(product) - before.get(product)).as(product).isEqualTo(2);
    assertThat(after.get(page) - before.get(page)).as(page).isEqualTo(1);
    assertThat(after.get(unmatched) - before.get(unmatched)).as(unmatched).isEqualTo(1);
    assertThat(after.get(hello) - before.get(hello)).as(hello).isEqualTo(1);
    assertThat(after.get(productLatency) - before.get(productLatency)).as(productLatency).isEqualTo(2);
    assertThat(mesh.get("/metrics").body()).contains("# TYPE shopmesh_http_server_request_duration_seconds histogram\n",
      "# TYPE shopmesh_grpc_server_calls_total counter\n").doesNotContain("no-such-");
  }

  /** The value of each series in /metrics now, 0 for one not there yet. */
  private static Map<String, Long> counts(String... series) {
    String metrics = mesh.get("/metrics").body();
    return Stream.of(series).collect(Collectors.toMap(s -> s, s -> metrics.lines().filter(line -> line.startsWith(s + " "))
      .mapToLong(line -> Long.parseLong(line.substring(s.length() + 1))).sum()));
  }

  @Test
  void aConfirmedOrderTakesStockChargesTheTotalAndCanBeReadBack() {
    String product = Shop.newProduct(mesh, 1250, 10);
    TestMesh.Reply placed = mesh.post("/api/orders", Shop.order(product, 3, Shop.APPROVED_CARD));
    assertThat(placed.status()).isEqualTo(201);
    JsonObject order = placed.json();
    assertThat(order.getString("status")).isEqualTo("CONFIRMED");
    assertThat(order.getLong("totalCents")).isEqualTo(3750);
    assertThat(order.getString("currency")).isEqualTo("USD");
    assertThat(Shop.stock(mesh, product)).isEqualTo(7);
    TestMesh.Reply read = mesh.get("/api/orders/" + order.getString("orderId"));
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().getString("status")).isEqualTo("CONFIRMED");
    assertThat(read.json().getJsonArray("items").getJsonObject(0).getInteger("quantity")).isEqualTo(3);
  }

  @Test
  void aDeclinedCardIs402AndTheStockComesBack() {
    String product = Shop.newProduct(mesh, 500, 10);
    TestMesh.Reply placed;
    try (LogCapture gatewayLog = new LogCapture("shopmesh.gateway", Level.INFO)) {
      placed = mesh.post("/api/orders", Shop.order(product, 2, Shop.DECLINED_CARD));
      // Logged once, as every answer a client sees as an error.
      assertThat(gatewayLog.messagesContaining(placed.json().getString("orderId")))
        .singleElement().asString().startsWith("POST /api/orders -> 402 PAYMENT_DECLINED: order ");
    }
    assertThat(placed.status()).isEqualTo(402);
    assertThat(placed.json().getString("status")).isEqualTo("REJECTED");
    assertThat(placed.json().getString("rejection")).isEqualTo("PAYMENT_DECLINED");
    assertThat(placed.json().getString("reason")).startsWith("payment declined: ");
    assertThat(Shop.stock(mesh, product)).isEqualTo(10);
    assertThat(mesh.get("/api/orders/" + placed.json().getString("orderId")).json().getString("status")).isEqualTo("REJECTED");
  }

  @Test
  void shortStockIs409AndNothingIsTaken() {
    String product = Shop.newProduct(mesh, 500, 2);
    TestMesh.Reply placed = mesh.post("/api/orders", Shop.order(product, 3, Shop.APPROVED_CARD));
    assertThat(placed.status()).isEqualTo(409);
    assertThat(placed.json().getString("rejection")).isEqualTo("OUT_OF_STOCK");
    assertThat(placed.json().getString("reason")).contains(product);
    assertThat(placed.json().fieldNames()).as("never priced: no zero total, no empty currency").doesNotContain("totalCents", "currency");
    assertThat(placed.json().getJsonArray("items").getJsonObject(0).fieldNames()).containsExactlyInAnyOrder("productId", "quantity");
    assertThat(Shop.stock(mesh, product)).isEqualTo(2);
  }

  /** A refusal for short stock is the order's outcome: a retry under its key answers it again, placing nothing new. */
  @Test
  void aKeyRefusedForShortStockAnswersTheSameRefusal() {
    String product = Shop.newProduct(mesh, 500, 2);
    Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
    TestMesh.Reply refused = mesh.post("/api/orders", Shop.order(product, 3, Shop.APPROVED_CARD).encode(), key);
    assertThat(refused.status()).isEqualTo(409);
    TestMesh.Reply again = mesh.post("/api/orders", Shop.order(product, 3, Shop.APPROVED_CARD).encode(), key);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().getString("orderId")).as("the same order").isEqualTo(refused.json().getString("orderId"));
  }

  /** One charge is in one currency: products priced in two are refused, and the stock reserved for them goes back. */
  @Test
  void productsInTwoCurrenciesAre400AndTakeNothing() {
    String dollars = Shop.newProduct(mesh, 500, 5);
    String euros = Shop.newProduct(mesh, 500, 5, "EUR");
    JsonObject order = Shop.order(dollars, 1, Shop.APPROVED_CARD);
    order.getJsonArray("items").add(new JsonObject().put("productId", euros).put("quantity", 1));
    TestMesh.Reply reply = mesh.post("/api/orders", order);
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().getString("message")).isEqualTo("items: products priced in different currencies cannot share an order");
    assertThat(Shop.stock(mesh, dollars)).isEqualTo(5);
    assertThat(Shop.stock(mesh, euros)).isEqualTo(5);
  }

  @ParameterizedTest(name = "{0} -> 400 naming {1}")
  @CsvSource(delimiter = '|', value = {
    "{\"items\":[{\"productId\":\"PRODUCT\",\"quantity\":1}],\"payment\":{\"cardNumber\":\"4242424242424242\",\"expiry\":\"12/39\",\"cvv\":\"123\"}}|customerId",
    "{\"customerId\":\"c\",\"items\":[{\"productId\":\"PRODUCT\",\"quantity\":0}],\"payment\":{\"cardNumber\":\"4242424242424242\",\"expiry\":\"12/39\",\"cvv\":\"123\"}}|items[0].quantity",
    "{\"customerId\":\"c\",\"items\":[{\"productId\":\"PRODUCT\",\"quantity\":\"two\"}],\"payment\":{\"cardNumber\":\"4242424242424242\",\"expiry\":\"12/39\",\"cvv\":\"123\"}}|items[0].quantity",
    "{\"customerId\":\"c\",\"items\":[{\"productId\":\"PRODUCT\",\"quantity\":99999999999999}],\"payment\":{\"cardNumber\":\"4242424242424242\",\"expiry\":\"12/39\",\"cvv\":\"123\"}}|items[0].quantity is out of range, got 99999999999999",
    "{\"customerId\":\"c\",\"items\":[{\"productId\":\"PRODUCT\"}],\"payment\":{\"cardNumber\":\"4242424242424242\",\"expiry\":\"12/39\",\"cvv\":\"123\"}}|items[0].quantity is required",
    "{\"customerId\":\"c\",\"items\":{},\"payment\":{\"cardNumber\":\"4242424242424242\",\"expiry\":\"12/39\",\"cvv\":\"123\"}}|items",
    "{\"customerId\":\"c\",\"items\":[{\"productId\":\"PRODUCT\",\"quantity\":1}]}|payment is required: cardNumber, expiry and cvv",
    "{\"customerId\":\"c\",\"items\":[{\"productId\":\"PRODUCT\",\"quantity\":1}],\"payment\":{\"cardNumber\":\"4242424242424241\",\"expiry\":\"12/39\",\"cvv\":\"123\"}}|payment.cardNumber",
    "{\"customerId\":\"c\",\"items\":[{\"productId\":\"PRODUCT\",\"quantity\":1}],\"payment\":{\"cardNumber\":\"4242424242424242\",\"expiry\":\"13/39\",\"cvv\":\"123\"}}|payment.expiry's month must be 01 to 12, got '13/39'",
    "{\"customerId\":\"c\",\"items\":[{\"productId\":\"PRODUCT\",\"quantity\":1},{\"productId\":\"nope\",\"quantity\":1}],\"payment\":{\"cardNumber\":\"4242424242424242\",\"expiry\":\"12/39\",\"cvv\":\"123\"}}|items[1].productId: product",
    "not json|JSON object",
    // A misspelt field is named with the one meant; the field itself would read as missing.
    "{\"customerId\":\"c\",\"item\":[{\"productId\":\"PRODUCT\",\"quantity\":1}],\"payment\":{\"cardNumber\":\"4242424242424242\",\"expiry\":\"12/39\",\"cvv\":\"123\"}}|item is not a field here (did you mean items?)",
    "{\"customer_id\":\"c\",\"items\":[{\"productId\":\"PRODUCT\",\"quantity\":1}],\"payment\":{\"cardNumber\":\"4242424242424242\",\"expiry\":\"12/39\",\"cvv\":\"123\"}}|customer_id is not a field here (did you mean customerId?)",
    "{\"customerId\":\"c\",\"items\":[{\"productId\":\"PRODUCT\",\"quantiy\":1}],\"payment\":{\"cardNumber\":\"4242424242424242\",\"expiry\":\"12/39\",\"cvv\":\"123\"}}|items[0].quantiy is not a field here (did you mean items[0].quantity?)",
    "{\"customerId\":\"c\",\"items\":[{\"productId\":\"PRODUCT\",\"quantity\":1}],\"payment\":{\"cardNumber\":\"4242424242424242\",\"expiry\":\"12/39\",\"cvc\":\"123\"}}|payment.cvc is not a field here (did you mean payment.cvv?)",
  })
  void badInputIs400NamingTheFieldAndTakesNothing(String body, String field) {
    String product = Shop.newProduct(mesh, 500, 5);
    TestMesh.Reply reply = mesh.post("/api/orders", body.replace("PRODUCT", product), Map.of());
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().getString("error")).isEqualTo("INVALID_ARGUMENT");
    assertThat(reply.json().getString("message")).contains(field);
    assertThat(Shop.stock(mesh, product)).isEqualTo(5);
  }

  /** A field the gateway does not know, beside the one it resembles, is a newer client's: ignored, as any unknown field. */
  @Test
  void anUnknownFieldBesideTheOneItResemblesIsIgnored() {
    String product = Shop.newProduct(mesh, 500, 5);
    JsonObject order = Shop.order(product, 1, Shop.APPROVED_CARD).put("customerIp", "192.0.2.1");
    order.getJsonObject("payment").put("cvc", "123");
    assertThat(mesh.post("/api/orders", order).status()).isEqualTo(201);
  }

  @Test
  void anOverlongProductIdIs400NamingIt() {
    TestMesh.Reply reply = mesh.post("/api/orders", Shop.order("x".repeat(9_000), 1, Shop.APPROVED_CARD));
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().getString("message")).isEqualTo("items[0].productId must be at most 64 characters");
  }

  /** As Stripe's keys do: a request refused as invalid leaves its key for the corrected one. */
  @Test
  void anIdempotencyKeyRefusedForBadInputIsFreeForTheCorrectedOrder() {
    String product = Shop.newProduct(mesh, 500, 5);
    Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
    TestMesh.Reply typo = mesh.post("/api/orders", Shop.order(product, 1, "4242424242424241").encode(), key);
    assertThat(typo.status()).isEqualTo(400);
    assertThat(typo.json().getString("message")).contains("payment.cardNumber");
    TestMesh.Reply corrected = mesh.post("/api/orders", Shop.order(product, 1, Shop.APPROVED_CARD).encode(), key);
    assertThat(corrected.status()).isEqualTo(201);
    TestMesh.Reply again = mesh.post("/api/orders", Shop.order(product, 1, Shop.APPROVED_CARD).encode(), key);
    assertThat(again.json().getString("orderId")).isEqualTo(corrected.json().getString("orderId"));
    assertThat(Shop.stock(mesh, product)).isEqualTo(4);
  }

  /** A product on two lines is one line of their sum, whether the order is confirmed or rejected (it was kept apart then). */
  @Test
  void aProductOnTwoLinesIsOneLineConfirmedOrRejected() {
    String product = Shop.newProduct(mesh, 500, 3);
    JsonObject twice = Shop.order(product, 1, Shop.APPROVED_CARD);
    twice.getJsonArray("items").add(new JsonObject().put("productId", product).put("quantity", 2));
    TestMesh.Reply confirmed = mesh.post("/api/orders", twice);
    assertThat(confirmed.status()).isEqualTo(201);
    assertThat(confirmed.json().getJsonArray("items")).singleElement()
      .satisfies(line -> assertThat(((JsonObject) line).getInteger("quantity")).isEqualTo(3));
    TestMesh.Reply rejected = mesh.post("/api/orders", twice);
    assertThat(rejected.status()).as("out of stock").isEqualTo(409);
    assertThat(rejected.json().getJsonArray("items")).singleElement()
      .satisfies(line -> assertThat(((JsonObject) line).getInteger("quantity")).isEqualTo(3));
  }

  @Test
  void aBodyOverTheLimitIs413NamingTheLimitAndTakesNothing() {
    String product = Shop.newProduct(mesh, 500, 5);
    JsonObject order = Shop.order(product, 1, Shop.APPROVED_CARD).put("note", "x".repeat(70_000));
    TestMesh.Reply reply = mesh.post("/api/orders", order);
    assertThat(reply.status()).isEqualTo(413);
    assertThat(reply.json().getString("error")).as("as a gRPC message over the limit").isEqualTo("RESOURCE_EXHAUSTED");
    assertThat(reply.json().getString("message")).contains("65536 bytes");
    assertThat(Shop.stock(mesh, product)).isEqualTo(5);
  }

  @Test
  void aPathOrMethodTheApiDoesNotHaveIsAClientErrorNamingIt() {
    TestMesh.Reply path = mesh.get("/api/nothing-here");
    assertThat(path.status()).isEqualTo(404);
    assertThat(path.json().getString("message")).contains("/api/nothing-here");
    assertThat(mesh.send("POST", "/nothing-here").status()).as("a path that does not exist, whatever the method").isEqualTo(404);
    TestMesh.Reply method = mesh.send("DELETE", "/api/orders");
    assertThat(method.status()).isEqualTo(405);
    assertThat(method.json().getString("error")).as("as gRPC says of a method not served").isEqualTo("UNIMPLEMENTED");
    assertThat(method.json().getString("message")).contains("DELETE", "/api/orders");
    assertThat(method.header("allow")).isEqualTo("POST");
    assertThat(mesh.get("/api/orders").header("allow")).as("a GET where only POST is").isEqualTo("POST");
    TestMesh.Reply onAnOrder = mesh.send("POST", "/api/orders/some-id");
    assertThat(onAnOrder.status()).isEqualTo(405);
    assertThat(onAnOrder.header("allow")).isEqualTo("GET, HEAD");
    TestMesh.Reply slash = mesh.send("DELETE", "/api/orders/");
    assertThat(slash.status()).as("with a trailing slash, the same resource").isEqualTo(405);
    assertThat(slash.header("allow")).as("with a trailing slash").isEqualTo("POST");
  }

  /** What load balancers' health probes and curl -I send. */
  @Test
  void headAnswersWhatGetWouldWithoutTheBody() {
    for (String path : List.of("/health", "/api/products", "/api/products/mug", "/", "/index.html", "/mesh", "/mesh.html")) {
      TestMesh.Reply head = mesh.send("HEAD", path);
      assertThat(head.status()).as(path).isEqualTo(200);
      assertThat(head.body()).as(path).isEmpty();
      assertThat(head.header("content-type")).as(path).isEqualTo(mesh.get(path).header("content-type")).isNotNull();
    }
    assertThat(mesh.send("HEAD", "/api/products/no-such-product").status()).isEqualTo(404);
  }

  /**
   * A page on another site cannot place an order through its visitor's browser. The API reads a body
   * labelled text/plain, so a browser sends such a POST from any page without asking first: the order
   * was placed and charged, the page only kept from reading the answer. The gateway's own page, at the
   * address it was asked at (or the one a proxy forwarded), and clients sending no Origin, still may.
   */
  @Test
  void aPageFromAnotherSiteCannotPlaceAnOrder() {
    String product = Shop.newProduct(mesh, 100, 5);
    String order = Shop.order(product, 1, Shop.APPROVED_CARD).encode();
    TestMesh.Reply refused = mesh.post("/api/orders", order, Map.of("Origin", "http://shop.example", "Content-Type", "text/plain"));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().getString("error")).isEqualTo("PERMISSION_DENIED");
    assertThat(refused.json().getString("message")).contains("a page from http://shop.example may not place orders here", "nothing was placed");
    assertThat(mesh.post("/api/orders", order, Map.of("Origin", "null")).status()).as("a sandboxed frame's").isEqualTo(403);
    TestMesh.Reply form = mesh.post("/api/orders", order, Map.of("Referer", "http://shop.example/cart?token=abc"));
    assertThat(form.status()).as("an older browser's form, naming its page only in Referer").isEqualTo(403);
    assertThat(form.json().getString("message")).as("the page's origin, not its path and query")
      .startsWith("a page from http://shop.example may not").doesNotContain("token");
    assertThat(mesh.post("/api/orders", order, Map.of("Origin", "http://127.0.0.1:" + (mesh.httpPort() + 1))).status())
      .as("another app on the same host, on another port").isEqualTo(403);
    assertThat(mesh.post("/api/orders", order, Map.of("Origin", "https://shop.example:8443", "X-Forwarded-Host", "shop.example"))
      .status()).as("behind a proxy, a page on another port of its host").isEqualTo(403);
    assertThat(mesh.get("/api/products/" + product).json().getInteger("stock")).as("nothing reserved").isEqualTo(5);

    assertThat(mesh.post("/api/orders", order, Map.of("Origin", "http://127.0.0.1:" + mesh.httpPort())).status()).isEqualTo(201);
    assertThat(mesh.post("/api/orders", order, Map.of("Origin", "https://shop.example", "X-Forwarded-Host", "shop.example")).status())
      .as("behind a proxy that named the host it was asked at").isEqualTo(201);
    assertThat(mesh.post("/api/orders", order, Map.of("Origin", "http://my_shop:8000", "X-Forwarded-Host", "my_shop:8000")).status())
      .as("a host name with an underscore, which browsers take").isEqualTo(201);
    assertThat(mesh.post("/api/orders", order, Map.of()).status()).as("no Origin: curl, a server").isEqualTo(201);
    assertThat(mesh.get("/api/products/" + product).json().getInteger("stock")).isEqualTo(1);
  }

  /** Each says what to change, in the caller's terms. */
  @Test
  void malformedRequestsSayWhatToChange() throws IOException {
    TestMesh.Reply json = mesh.post("/api/orders", "{\"customerId\": \"c\",}", Map.of());
    assertThat(json.status()).isEqualTo(400);
    assertThat(json.json().getString("message")).isEqualTo("the body is not valid JSON (it must be one JSON object): Unexpected character ('}' (code 125)): "
      + "was expecting double-quote to start field name at line 1 column 20");
    TestMesh.Reply twice = mesh.post("/api/orders", "{\"items\": [{\"productId\": \"mug\", \"quantity\": 1}],\n"
      + " \"items\": [{\"productId\": \"tea\", \"quantity\": 2}]}", Map.of());
    assertThat(twice.status()).isEqualTo(400);
    assertThat(twice.json().getString("message")).as("a field twice: the first one was dropped without a word")
      .isEqualTo("the body is not valid JSON (it must be one JSON object): Duplicate field 'items' at line 2 column 9");
    assertThat(mesh.post("/api/orders", "{\"customerId\": \"c\"} x", Map.of()).json().getString("message")).as("text after the object")
      .startsWith("the body is not valid JSON (it must be one JSON object): ");
    assertThat(mesh.post("/api/orders", "{\"customerId\": \"c\", \"idempotencyKey\": \"k\"}", Map.of()).json().getString("message"))
      .as("gRPC's key field, which would be ignored as unknown").isEqualTo("idempotencyKey goes in the Idempotency-Key header here, not in the body");
    assertThat(mesh.post("/api/orders", "{\"customerId\": \"c\", \"idempotency_key\": \"k\"}", Map.of()).json().getString("message"))
      .isEqualTo("idempotency_key goes in the Idempotency-Key header here, not in the body");
    assertThat(mesh.post("/api/orders", "", Map.of()).json().getString("message")).as("no body")
      .isEqualTo("the body must be a JSON object");
    assertThat(mesh.post("/api/orders", "[1, 2]", Map.of()).json().getString("message")).as("JSON, not an object")
      .isEqualTo("the body must be a JSON object");
    TestMesh.Reply key = mesh.post("/api/orders", Shop.order("mug", 1, Shop.APPROVED_CARD).encode(),
      Map.of("Idempotency-Key", "k".repeat(201)));
    assertThat(key.status()).isEqualTo(400);
    assertThat(key.json().getString("message")).isEqualTo("the Idempotency-Key header must be at most 200 characters");
    TestMesh.Reply gzip = mesh.post("/api/orders", "not really gzip", Map.of("Content-Encoding", "gzip"));
    assertThat(gzip.status()).isEqualTo(415);
    assertThat(gzip.json().getString("error")).as("as gRPC says of a compression it does not have").isEqualTo("UNIMPLEMENTED");
    assertThat(gzip.json().getString("message")).isEqualTo("Content-Encoding gzip is not accepted: send the JSON as it is");
    TestMesh.Reply twiceSized = mesh.get("/api/products?page_size=5&page_size=6");
    assertThat(twiceSized.status()).isEqualTo(400);
    assertThat(twiceSized.json().getString("message")).isEqualTo("page_size is given 2 times; give it once");
    // Not the whole catalog, streamed, as if no page were asked for; a parameter not known at all is ignored.
    TestMesh.Reply camelCased = mesh.get("/api/products?pageSize=5");
    assertThat(camelCased.status()).isEqualTo(400);
    assertThat(camelCased.json().getString("message")).isEqualTo("pageSize is not a parameter here (did you mean page_size?)");
    assertThat(mesh.get("/api/products?page_size=5&utm_source=mail").status()).isEqualTo(200);
    String twoKeys = raw("POST /api/orders HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nIdempotency-Key: a\r\n"
      + "Idempotency-Key: b\r\nContent-Length: 2\r\n\r\n{}");
    assertThat(twoKeys).startsWith("HTTP/1.1 400 ").contains("the Idempotency-Key header is given 2 times; give it once");
    TestMesh.Reply size = mesh.get("/api/products?page_size=99999999999");
    assertThat(size.status()).isEqualTo(400);
    assertThat(size.json().getString("message")).isEqualTo("page_size must be between 1 and 500 (0 for 50), got 99999999999");
  }

  /** Text protobuf cannot carry as sent, or PostgreSQL cannot store: refused naming the field, nothing placed. */
  @Test
  void textThatCannotBeKeptAsSentIs400NamingTheField() {
    String loneSurrogate = "{\"customerId\":\"a\\ud800b\",\"items\":[{\"productId\":\"mug\",\"quantity\":1}],"
      + "\"payment\":{\"cardNumber\":\"4242424242424242\",\"expiry\":\"12/30\",\"cvv\":\"123\"}}";
    TestMesh.Reply surrogate = mesh.post("/api/orders", loneSurrogate, Map.of());
    assertThat(surrogate.status()).isEqualTo(400);
    assertThat(surrogate.json().getString("message")).startsWith("customerId must be valid Unicode text");

    TestMesh.Reply nul = mesh.post("/api/orders", Shop.order("mug", 1, Shop.APPROVED_CARD).put("customerId", "a\u0000b"));
    assertThat(nul.status()).isEqualTo(400);
    assertThat(nul.json().getString("message")).startsWith("customerId must not contain the NUL character");
    TestMesh.Reply product = mesh.get("/api/products/mug%00");
    assertThat(product.status()).as("an id no product can have").isEqualTo(404);
  }

  /** Sent over a socket of its own: Java's HTTP client sends header values of ASCII only. */
  @Test
  void aKeyInAnyLanguageIsReadAsTheTextItIs() throws IOException {
    String key = "clé-☕-" + UUID.randomUUID();
    String mug = Shop.order("mug", 1, Shop.APPROVED_CARD).encode();
    assertThat(rawOrder(key, mug)).startsWith("HTTP/1.1 201 ");
    String conflict = rawOrder(key, Shop.order("mug", 2, Shop.APPROVED_CARD).encode());
    assertThat(conflict).startsWith("HTTP/1.1 409 ").contains("the idempotency key '" + key + "' was already used for a different order")
      .as("named as an HTTP caller sends it, not as the gRPC field").doesNotContain("idempotencyKey");
    assertThat(rawOrder(key, Shop.order("mug", 1, Shop.DECLINED_CARD).encode())).as("the same items, another card")
      .startsWith("HTTP/1.1 409 ").contains("a key stands for one order, its customer, items and payment as first sent");
    assertThat(rawOrder("é".repeat(150) + UUID.randomUUID().toString().substring(0, 8), mug)).as("158 characters, 308 bytes")
      .startsWith("HTTP/1.1 201 ");
    String blank = rawOrder("   ", mug);
    assertThat(blank).as("a key of spaces, read as an empty one").startsWith("HTTP/1.1 400 ")
      .contains("the Idempotency-Key header is empty: send a key, or no header");
    assertThat(rawOrder("🛒".repeat(150) + UUID.randomUUID().toString().substring(0, 8), mug))
      .as("158 characters, as order-service counts them over gRPC too; 308 in UTF-16 units").startsWith("HTTP/1.1 201 ");
    String longest = "🛒".repeat(192) + UUID.randomUUID().toString().substring(0, 8);
    String placed = rawOrder(longest, mug);
    assertThat(placed).as("200 characters, the most a key may have").startsWith("HTTP/1.1 201 ");
    assertThat(rawOrder(longest, mug)).as("its retry").startsWith("HTTP/1.1 201 ").contains(orderIdOf(placed));
  }

  /** The {@code "orderId":"…"} of a raw answer. */
  private static String orderIdOf(String answer) {
    Matcher id = Pattern.compile("\"orderId\":\"[^\"]+\"").matcher(answer);
    assertThat(id.find()).as("an order id in %s", answer).isTrue();
    return id.group();
  }

  private static String rawOrder(String key, String body) throws IOException {
    int length = body.getBytes(StandardCharsets.UTF_8).length;
    return raw(("POST /api/orders HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nIdempotency-Key: " + key
      + "\r\nContent-Length: " + length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A client that goes away before its body is read whole has no one to answer, and no dependency
   * is at fault: it was logged as a WARNING "-> 503 UNAVAILABLE: a dependency is unavailable".
   */
  @Test
  void aClientGoneBeforeItsBodyIsLoggedAsSuchAndPlacesNothing() throws IOException {
    String product = Shop.newProduct(mesh, 500, 5);
    String body = Shop.order(product, 1, Shop.APPROVED_CARD).encode();
    try (LogCapture gatewayLog = new LogCapture("shopmesh.gateway", Level.INFO)) {
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), mesh.httpPort())) {
        socket.getOutputStream().write(("POST /api/orders HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + (body.length() + 100)
          + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
      }
      Await.until("the gateway to log the request it could not read", Duration.ofSeconds(10),
        () -> !gatewayLog.messagesContaining("POST /api/orders").isEmpty());
      assertThat(gatewayLog.messagesContaining("POST /api/orders")).singleElement().asString()
        .isEqualTo("POST /api/orders: the client closed the connection before its request was read whole");
      assertThat(gatewayLog.records()).noneMatch(r -> r.getLevel().intValue() >= Level.WARNING.intValue());
    }
    assertThat(Shop.stock(mesh, product)).isEqualTo(5);
  }

  /** A body that breaks HTTP's chunked framing is the client's mistake: logged so, not as an internal error with a stack. */
  @Test
  void aBodyBreakingHttpIsLoggedAsTheClientsAndPlacesNothing() throws IOException {
    int mugs = Shop.stock(mesh, "mug");
    for (String chunks : List.of("zz\r\n{}\r\n0\r\n\r\n", "2\r\n{}\r\n0\r\nBad Trailer\r\n\r\n")) {
      try (LogCapture gatewayLog = new LogCapture("shopmesh.gateway", Level.INFO)) {
        raw("POST /api/orders HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks);
        Await.until("the gateway to log the request it could not read", Duration.ofSeconds(10),
          () -> !gatewayLog.messagesContaining("POST /api/orders").isEmpty());
        assertThat(gatewayLog.messagesContaining("POST /api/orders")).as(chunks).singleElement().asString()
          .startsWith("POST /api/orders -> 400 INVALID_ARGUMENT: the request's body is not well-formed HTTP: ");
        assertThat(gatewayLog.records()).noneMatch(r -> r.getLevel().intValue() >= Level.WARNING.intValue());
      }
    }
    assertThat(Shop.stock(mesh, "mug")).isEqualTo(mugs);
  }

  /** Sent over a socket of its own: Java's HTTP client refuses to send such a path. */
  @Test
  void aPathWithABadEscapeIs400InJsonNamingIt() throws IOException {
    Map<String, String> said = Map.of("/api/products/%zz", "path is not valid percent-encoding",
      "/api/orders/%E0%A4%A", "path is not valid percent-encoding", "/%", "path is not valid percent-encoding",
      "/api/products?page_token=%%%", "query string is not valid percent-encoding",
      // Routes that read no query parameter refuse it too: one route placed an order under it.
      "/health?x=%zz", "query string is not valid percent-encoding", "/?x=%zz", "query string is not valid percent-encoding");
    for (String path : said.keySet()) {
      String answer = raw("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
      assertThat(answer).as(path).startsWith("HTTP/1.1 400 ").contains("application/json");
      JsonObject body = new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4));
      assertThat(body.getString("error")).as(path).isEqualTo("INVALID_ARGUMENT");
      assertThat(body.getString("message")).as(path).contains("GET " + path.replaceFirst("\\?.*", ""), said.get(path));
    }
  }

  /**
   * RFC 9112's 400s for Host, saying which: Vert.x Web said only "malformed" for a missing or bad
   * one, and served two under the first (placing an order under it), where a proxy may read the other.
   */
  @Test
  void aRequestWithoutOneValidHostIs400SayingSoAndPlacesNothing() throws IOException {
    String product = Shop.newProduct(mesh, 500, 5);
    String order = Shop.order(product, 1, Shop.APPROVED_CARD).encode();
    Map<String, String> said = Map.of(
      "Host: localhost\r\nHost: evil.example\r\n", "POST /api/orders: the request has 2 Host headers, where HTTP/1.1 allows one",
      "", "POST /api/orders: the request has no Host header, which HTTP/1.1 requires",
      "Host: a b\r\n", "POST /api/orders: the Host header 'a b' is not a host with an optional port");
    for (Map.Entry<String, String> host : said.entrySet()) {
      String answer = raw("POST /api/orders HTTP/1.1\r\n" + host.getKey() + "Connection: close\r\nContent-Length: "
        + order.length() + "\r\n\r\n" + order);
      assertThat(answer).as(host.getKey()).startsWith("HTTP/1.1 400 ");
      JsonObject body = new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4));
      assertThat(body.getString("error")).as(host.getKey()).isEqualTo("INVALID_ARGUMENT");
      assertThat(body.getString("message")).as(host.getKey()).isEqualTo(host.getValue());
    }
    assertThat(Shop.stock(mesh, product)).as("nothing placed").isEqualTo(5);
    assertThat(raw("GET /health HTTP/1.0\r\n\r\n")).as("HTTP/1.0 needs no Host").startsWith("HTTP/1.0 200 ");
    assertThat(raw("GET /health HTTP/1.1\r\nHost:\r\nConnection: close\r\n\r\n")).as("an empty Host is allowed")
      .startsWith("HTTP/1.1 200 ");
  }

  /** A body in a transfer coding the gateway does not read was "not a JSON object"; an Expect it cannot meet, "malformed". */
  @Test
  void aTransferCodingOtherThanChunkedAndAnUnknownExpectationAreRefusedNamingThem() throws IOException {
    String gzip = raw("POST /api/orders HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: gzip\r\n\r\n{}");
    assertThat(gzip).startsWith("HTTP/1.1 400 ").contains("connection: close")
      .endsWith("\"message\":\"POST /api/orders: Transfer-Encoding 'gzip' is not read here: send the body as it is,"
        + " chunked (HTTP/1.1) or with a Content-Length\"}");
    // On two lines, chunked first: Netty framed it as chunked and the gzip bytes were read as JSON.
    String twoLines = raw("POST /api/orders HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n"
      + "Transfer-Encoding: gzip\r\n\r\n0\r\n\r\n");
    assertThat(twoLines).startsWith("HTTP/1.1 400 ").contains("Transfer-Encoding 'chunked, gzip' is not read here");
    String http10 = raw("POST /api/orders HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
    assertThat(http10).startsWith("HTTP/1.0 400 ").contains("Transfer-Encoding 'chunked' is not read here (HTTP/1.0 has none)");
    // With a query string that breaks too: the body is not read, so the connection still closes.
    String badQuery = raw("POST /api/orders?x=%zz HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: gzip\r\n\r\n{}");
    assertThat(badQuery).startsWith("HTTP/1.1 400 ").contains("connection: close", "Transfer-Encoding 'gzip' is not read here");
    // Transfer codings are named in any case.
    String order = Shop.order(Shop.newProduct(mesh, 500, 5), 1, Shop.APPROVED_CARD).encode();
    String capitalChunked = raw("POST /api/orders HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: Chunked\r\nConnection: close\r\n\r\n"
      + Integer.toHexString(order.length()) + "\r\n" + order + "\r\n0\r\n\r\n");
    assertThat(capitalChunked).startsWith("HTTP/1.1 201 ");
    String expect = raw("POST /api/orders HTTP/1.1\r\nHost: localhost\r\nExpect: 200-ok\r\nContent-Length: 2\r\n"
      + "Connection: close\r\n\r\n{}");
    assertThat(expect).startsWith("HTTP/1.1 417 ")
      .endsWith("\"message\":\"POST /api/orders: Expect '200-ok' is not met here: only 100-continue is\"}");
  }

  /** Vert.x refuses these before any route: now in the API's JSON, saying which limit, where the body was empty. */
  @Test
  void aPathOrHeadersOverVertxLimitsAreAnsweredInJsonNamingTheLimit() throws IOException {
    String longPath = raw("GET /api/products/" + "x".repeat(5_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
    // HTTP/1.0: Vert.x could not read the request line, so not the version either.
    assertThat(longPath).startsWith("HTTP/1.0 414 ").contains("\"error\":\"RESOURCE_EXHAUSTED\"")
      .endsWith("the request line (method, path and query) is over 4096 bytes\"}");
    String bigHeaders = raw("POST /api/orders HTTP/1.1\r\nHost: localhost\r\nIdempotency-Key: " + "k".repeat(9_000) + "\r\n\r\n");
    assertThat(bigHeaders).startsWith("HTTP/1.1 431 ").contains("\"error\":\"RESOURCE_EXHAUSTED\"")
      .endsWith("the request's headers are over 8192 bytes\"}");
  }

  /** "m\xc1\xb5g", bytes no UTF-8 encoder writes, was read as "mug", and ordered it. */
  @Test
  void aBodyThatIsNotUtf8Is400AndPlacesNothing() throws IOException {
    int mugs = Shop.stock(mesh, "mug");
    byte[] body = Shop.order("mug", 1, Shop.APPROVED_CARD).encode().replace("\"mug\"", "\"m\u00c1\u00b5g\"")
      .getBytes(StandardCharsets.ISO_8859_1);
    byte[] head = ("POST /api/orders HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: " + body.length
      + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    String reply = raw(Buffer.buffer(head).appendBytes(body).getBytes());
    assertThat(reply).startsWith("HTTP/1.1 400 ").contains("the body is not valid UTF-8: byte ");
    assertThat(Shop.stock(mesh, "mug")).isEqualTo(mugs);
  }

  /** One request over a socket of its own, answered until the server closes it. */
  private static String raw(String request) throws IOException {
    return raw(request.getBytes(StandardCharsets.US_ASCII));
  }

  private static String raw(byte[] request) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), mesh.httpPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request);
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** What {@code curl -d '{…}'} sends, as the README does: JSON labelled as a form. */
  @Test
  void aJsonBodyLabelledAsAFormIsPlacedAndWritesNothingToDisk() {
    String product = Shop.newProduct(mesh, 500, 5);
    Set<Path> before = uploadsOnDisk();
    // A '%' and a body over 1 KiB: what a form decoder would refuse.
    JsonObject order = Shop.order(product, 1, Shop.APPROVED_CARD).put("customerId", "100% me").put("note", "n".repeat(2_000));
    TestMesh.Reply placed = mesh.post("/api/orders", order.encode(), Map.of("content-type", "application/x-www-form-urlencoded"));
    assertThat(placed.status()).isEqualTo(201);
    assertThat(uploadsOnDisk()).isEqualTo(before);
  }

  @Test
  void aMultipartUploadIs400AndWritesNothingToDisk() {
    String product = Shop.newProduct(mesh, 500, 5);
    Set<Path> before = uploadsOnDisk();
    String body = "--b\r\ncontent-disposition: form-data; name=\"order\"; filename=\"order.json\"\r\n"
      + "content-type: application/json\r\n\r\n" + Shop.order(product, 1, Shop.APPROVED_CARD).encode() + "\r\n--b--\r\n";
    TestMesh.Reply reply = mesh.post("/api/orders", body, Map.of("content-type", "multipart/form-data; boundary=b"));
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().getString("message")).contains("JSON object");
    assertThat(uploadsOnDisk()).isEqualTo(before);
    assertThat(Shop.stock(mesh, product)).isEqualTo(5);
  }

  /** Where Vert.x Web would keep uploaded files, relative to the working directory, and what is in it. */
  private static Set<Path> uploadsOnDisk() {
    Path uploads = Path.of(BodyHandler.DEFAULT_UPLOADS_DIRECTORY);
    if (!Files.exists(uploads)) {
      return Set.of();
    }
    try (Stream<Path> entries = Files.walk(uploads)) {
      return entries.collect(Collectors.toSet());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void theSameIdempotencyKeyPlacesOneOrderAndADifferentBodyUnderItIsAConflict() {
    String product = Shop.newProduct(mesh, 500, 10);
    String key = UUID.randomUUID().toString();
    String body = Shop.order(product, 1, Shop.APPROVED_CARD).encode();
    TestMesh.Reply first = mesh.post("/api/orders", body, Map.of("Idempotency-Key", key));
    TestMesh.Reply again = mesh.post("/api/orders", body, Map.of("Idempotency-Key", key));
    assertThat(first.status()).isEqualTo(201);
    assertThat(again.status()).isEqualTo(201);
    assertThat(again.json().getString("orderId")).isEqualTo(first.json().getString("orderId"));
    assertThat(Shop.stock(mesh, product)).isEqualTo(9);
    TestMesh.Reply conflict = mesh.post("/api/orders", Shop.order(product, 2, Shop.APPROVED_CARD).encode(),
      Map.of("Idempotency-Key", key));
    assertThat(conflict.status()).isEqualTo(409);
    assertThat(conflict.json().getString("message")).contains("the idempotency key '" + key + "' was already used");
    assertThat(Shop.stock(mesh, product)).isEqualTo(9);
  }

  /** {@code n} identical POSTs at once; answers the responses. */
  static List<TestMesh.Reply> concurrently(int n, String body, Map<String, String> headers) {
    List<java.util.concurrent.CompletableFuture<TestMesh.Reply>> calls = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      calls.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> mesh.post("/api/orders", body, headers), POOL));
    }
    return calls.stream().map(java.util.concurrent.CompletableFuture::join).toList();
  }

  static final java.util.concurrent.ExecutorService POOL = java.util.concurrent.Executors.newFixedThreadPool(50);

  @Test
  void fiftyConcurrentRetriesWithOneKeyPlaceOneOrderAndChargeOnce() {
    String product = Shop.newProduct(mesh, 500, 100);
    List<TestMesh.Reply> replies = concurrently(50, Shop.order(product, 2, Shop.APPROVED_CARD).encode(),
      Map.of("Idempotency-Key", UUID.randomUUID().toString()));
    assertThat(replies).extracting(TestMesh.Reply::status).containsOnly(201);
    assertThat(replies).extracting(r -> r.json().getString("orderId")).containsOnly(replies.get(0).json().getString("orderId"));
    assertThat(replies).extracting(r -> r.json().getString("status")).containsOnly("CONFIRMED");
    assertThat(Shop.stock(mesh, product)).isEqualTo(98);
  }

  @Test
  void theLastTenUnitsGoToExactlyTenOfAHundredClients() {
    String product = Shop.newProduct(mesh, 500, 10);
    List<TestMesh.Reply> replies = concurrently(100, Shop.order(product, 1, Shop.APPROVED_CARD).encode(), Map.of());
    assertThat(replies.stream().filter(r -> r.status() == 201).count()).isEqualTo(10);
    assertThat(replies.stream().filter(r -> r.status() == 409).count()).isEqualTo(90);
    assertThat(Shop.stock(mesh, product)).isZero();
  }

  @Test
  void theShopPageIsServedAtTheRoot() {
    TestMesh.Reply page = mesh.get("/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("<title>shopmesh</title>", "/api/products", "/api/orders");
    assertThat(page.header("cache-control")).as("a new version's page must show at once").isEqualTo("no-cache");
    // Browsers have crypto.randomUUID only on https and localhost: opened by another address (a
    // container's, a LAN's), a page keying its orders with it could not buy anything.
    assertThat(page.body()).contains("crypto.getRandomValues").doesNotContain("randomUUID");
  }

  @Test
  void healthReportsEveryDependency() {
    TestMesh.Reply health = mesh.get("/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().getString("status")).isEqualTo("UP");
    assertThat(health.json().getJsonObject("replicas").getMap())
      .containsOnlyKeys("catalog-service", "payment-service", "order-service")
      .allSatisfy((service, replicas) -> assertThat((Integer) replicas).isEqualTo(1));
  }
}
