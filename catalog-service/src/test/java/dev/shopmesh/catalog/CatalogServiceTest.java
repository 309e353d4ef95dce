package dev.shopmesh.catalog;

import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.TestConfig;
import dev.shopmesh.proto.catalog.v1.CatalogServiceGrpcClient;
import dev.shopmesh.proto.catalog.v1.GetProductPageRequest;
import dev.shopmesh.proto.catalog.v1.GetProductPageResponse;
import dev.shopmesh.proto.catalog.v1.GetProductRequest;
import dev.shopmesh.proto.catalog.v1.ListProductsRequest;
import dev.shopmesh.proto.catalog.v1.ListReservationsRequest;
import dev.shopmesh.proto.catalog.v1.ListReservationsResponse;
import dev.shopmesh.proto.catalog.v1.ImportProductsRequest;
import dev.shopmesh.proto.catalog.v1.ImportProductsResponse;
import dev.shopmesh.proto.catalog.v1.Product;
import dev.shopmesh.proto.catalog.v1.ReleaseStockRequest;
import dev.shopmesh.proto.catalog.v1.ReservationLine;
import dev.shopmesh.proto.catalog.v1.ReserveStockRequest;
import dev.shopmesh.proto.catalog.v1.ReserveStockResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.streams.ReadStream;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.InvalidStatusException;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** catalog-service on its own, over real gRPC on loopback. */
@ExtendWith(VertxExtension.class)
class CatalogServiceTest {

  @TempDir
  static Path data;
  static Vertx vertx;
  static CatalogServiceGrpcClient catalog;
  static GrpcClient grpc;
  static SocketAddress address;

  @BeforeAll
  static void start(Vertx vertx) {
    CatalogServiceTest.vertx = vertx;
    CatalogVerticle verticle = new CatalogVerticle(TestConfig.in(data));
    Await.result(vertx.deployVerticle(verticle));
    address = SocketAddress.inetSocketAddress(verticle.grpcPort(), "127.0.0.1");
    grpc = GrpcClient.client(vertx);
    catalog = CatalogServiceGrpcClient.create(grpc, address);
  }

  static String newProduct(int stock) {
    String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
    Product p = Product.newBuilder().setId(id).setName(id).setPriceCents(100).setCurrency("USD").setStock(stock).build();
    Await.result(importAll(List.of(p)));
    return id;
  }

  static Future<ImportProductsResponse> importAll(List<Product> products) {
    return grpc.request(address, CatalogServiceGrpcClient.ImportProducts).compose(req -> {
      products.forEach(p -> req.write(ImportProductsRequest.newBuilder().setProduct(p).build()));
      return req.end().compose(v -> req.response()).compose(resp -> resp.last());
    });
  }

  static int stock(String id) {
    return Await.result(catalog.getProduct(GetProductRequest.newBuilder().setId(id).build())).getProduct().getStock();
  }

  static ReserveStockRequest reserve(String reservation, String product, int quantity) {
    return ReserveStockRequest.newBuilder().setReservationId(reservation)
      .addLines(ReservationLine.newBuilder().setProductId(product).setQuantity(quantity)).build();
  }

  @Test
  void concurrentReservationsNeverOversell() {
    String product = newProduct(10);
    List<Future<ReserveStockResponse>> attempts = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      attempts.add(catalog.reserveStock(reserve(UUID.randomUUID().toString(), product, 1)));
    }
    Await.result(Future.join(attempts).otherwiseEmpty());
    assertThat(attempts.stream().filter(Future::succeeded).count()).isEqualTo(10);
    assertThat(attempts.stream().filter(Future::failed).map(f -> ((InvalidStatusException) f.cause()).actualStatus()))
      .containsOnly(GrpcStatus.FAILED_PRECONDITION);
    assertThat(stock(product)).isZero();
  }

  @Test
  void aReservationIsIdempotentAndReleasedOnce() {
    String product = newProduct(5);
    ReserveStockRequest request = reserve("r-" + UUID.randomUUID(), product, 2);
    ReserveStockResponse first = Await.result(catalog.reserveStock(request));
    ReserveStockResponse again = Await.result(catalog.reserveStock(request));
    assertThat(again).isEqualTo(first);
    assertThat(first.getLines(0).getUnitPriceCents()).isEqualTo(100);
    assertThat(stock(product)).isEqualTo(3);
    assertThat(auditedLine(request.getReservationId()).getReleased()).isFalse();
    ReleaseStockRequest release = ReleaseStockRequest.newBuilder().setReservationId(request.getReservationId()).build();
    assertThat(Await.result(catalog.releaseStock(release)).getReleased()).isTrue();
    assertThat(Await.result(catalog.releaseStock(release)).getReleased()).isFalse();
    assertThat(stock(product)).isEqualTo(5);
    assertThat(auditedLine(request.getReservationId()).getReleased()).isTrue();
  }

  /**
   * A caller that timed out releases its reservation, which may still be on its way: arriving
   * after the release, it takes nothing (it took the stock for good, an order rejected with its
   * stock held).
   */
  @Test
  void aReservationArrivingAfterItsReleaseTakesNoStock() {
    String product = newProduct(5);
    String reservation = "r-" + UUID.randomUUID();
    ReleaseStockRequest release = ReleaseStockRequest.newBuilder().setReservationId(reservation).build();
    assertThat(Await.result(catalog.releaseStock(release)).getReleased()).as("nothing to release yet").isFalse();

    Throwable late = Await.failure(catalog.reserveStock(reserve(reservation, product, 2)));
    assertThat(((InvalidStatusException) late).actualStatus()).isEqualTo(GrpcStatus.ABORTED);
    assertThat(stock(product)).isEqualTo(5);
  }

  /**
   * Every message of a server-streaming call. Made from an event loop: called from the test's own
   * thread, the response (headers and messages) can arrive before the collector is attached, and
   * the messages that came first were lost (seen once, against PostgreSQL).
   */
  static <T> List<T> streamed(Supplier<Future<ReadStream<T>>> call) {
    Promise<List<T>> all = Promise.promise();
    vertx.runOnContext(v -> call.get().compose(stream -> stream.collect(Collectors.toList())).onComplete(all));
    return Await.result(all.future());
  }

  /** The one line of a reservation as the audit listing reports it. */
  static ListReservationsResponse auditedLine(String reservationId) {
    List<ListReservationsResponse> lines = streamed(() -> catalog.listReservations(ListReservationsRequest.getDefaultInstance()))
      .stream().filter(r -> r.getReservationId().equals(reservationId)).toList();
    assertThat(lines).hasSize(1);
    return lines.get(0);
  }

  @Test
  void aMultiLineReservationTakesAllOrNothing() {
    String plenty = newProduct(5);
    String scarce = newProduct(1);
    Throwable err = Await.failure(catalog.reserveStock(ReserveStockRequest.newBuilder().setReservationId("r-" + UUID.randomUUID())
      .addLines(ReservationLine.newBuilder().setProductId(plenty).setQuantity(2))
      .addLines(ReservationLine.newBuilder().setProductId(scarce).setQuantity(2)).build()));
    assertThat(((InvalidStatusException) err).actualStatus()).isEqualTo(GrpcStatus.FAILED_PRECONDITION);
    assertThat(stock(plenty)).isEqualTo(5);
    assertThat(stock(scarce)).isEqualTo(1);
  }

  @Test
  void linesOfOneProductAddingUpPastAnIntAreInvalidNamingTheLine() {
    String product = newProduct(5);
    assertThat(failure(CatalogServiceGrpcClient.ReserveStock, ReserveStockRequest.newBuilder()
      .setReservationId("r-" + UUID.randomUUID())
      .addLines(ReservationLine.newBuilder().setProductId(product).setQuantity(Integer.MAX_VALUE))
      .addLines(ReservationLine.newBuilder().setProductId(product).setQuantity(1)).build()))
      .startsWith("INVALID_ARGUMENT: lines[1].quantity: the lines of product '" + product + "' add up to more than");
    assertThat(stock(product)).isEqualTo(5);
  }

  /** Longer than its column: PostgreSQL would refuse it as an internal error, on a reservation or its release. */
  @Test
  void aReservationIdTooLongToKeepIsInvalidArgument() {
    String tooLong = "r".repeat(129);
    assertThat(failure(CatalogServiceGrpcClient.ReserveStock, reserve(tooLong, newProduct(5), 1)))
      .isEqualTo("INVALID_ARGUMENT: reservationId must be at most 128 characters");
    assertThat(failure(CatalogServiceGrpcClient.ReleaseStock, ReleaseStockRequest.newBuilder().setReservationId(tooLong).build()))
      .isEqualTo("INVALID_ARGUMENT: reservationId must be at most 128 characters");
  }

  @Test
  void importIsAllOrNothingAndRejectsABadProduct() {
    String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
    Product good = Product.newBuilder().setId(id).setName("ok").setPriceCents(1).setCurrency("USD").setStock(1).build();
    Product bad = good.toBuilder().setId(id + "-2").setPriceCents(-5).build();
    Throwable err = Await.failure(importAll(List.of(good, bad)));
    assertThat(((InvalidStatusException) err).actualStatus()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    // On sale and never sold: payment-service refused each order for it, naming fields the customer never sent.
    assertThat(importFailure(List.of(good.toBuilder().setPriceCents(0).build())))
      .isEqualTo("INVALID_ARGUMENT: products[0].priceCents must be between 1 and 100000000000, got 0");
    assertThat(importFailure(List.of(good.toBuilder().setCurrency("usd").build())))
      .isEqualTo("INVALID_ARGUMENT: products[0].currency must be an ISO 4217 code such as USD, got 'usd'");
    Throwable tooLong = Await.failure(importAll(List.of(good, good.toBuilder().setId(id + "-3").setDescription("d".repeat(2_001)).build())));
    assertThat(((InvalidStatusException) tooLong).actualStatus()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    Throwable nul = Await.failure(importAll(List.of(good.toBuilder().setId(id + "-4").setName("a\0b").build())));
    assertThat(((InvalidStatusException) nul).actualStatus()).as("a NUL, which PostgreSQL's text cannot hold").isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(Await.result(importAll(List.of(good.toBuilder().setId(id + "-5").setName("\uD83D\uDE00".repeat(200)).build()))).getImported())
      .as("200 characters, each two UTF-16 units").isEqualTo(1);
    assertThat(((InvalidStatusException) Await.failure(catalog.getProduct(GetProductRequest.newBuilder().setId(id).build())))
      .actualStatus()).as("nothing of the refused import was kept").isEqualTo(GrpcStatus.NOT_FOUND);
    assertThat(Await.result(importAll(List.of(good, bad.toBuilder().setPriceCents(5).build()))).getImported()).isEqualTo(2);
  }

  @Test
  void anImportOverItsLimitImportsNothing() {
    String batch = "l-" + UUID.randomUUID().toString().substring(0, 8);
    // 10,001: one over the limit.
    List<Product> products = IntStream.rangeClosed(0, 10_000).mapToObj(i -> Product.newBuilder()
      .setId(batch + "-" + i).setName("n").setPriceCents(1).setCurrency("USD").setStock(1).build()).toList();
    assertThat(importFailure(products)).isEqualTo("INVALID_ARGUMENT: an import takes at most 10000 products");
    assertThat(((InvalidStatusException) Await.failure(catalog.getProduct(GetProductRequest.newBuilder().setId(batch + "-0").build())))
      .actualStatus()).as("the first product of the refused import").isEqualTo(GrpcStatus.NOT_FOUND);
  }

  /** The status and message an import of {@code products} is answered with. */
  private static String importFailure(List<Product> products) {
    return Await.result(grpc.request(address, CatalogServiceGrpcClient.ImportProducts).compose(req -> {
      products.forEach(p -> req.write(ImportProductsRequest.newBuilder().setProduct(p).build()));
      return req.end().compose(v -> req.response());
    }).compose(resp -> resp.last().transform(done -> Future.succeededFuture(resp.status().name() + ": " + resp.statusMessage()))));
  }

  @Test
  void aProductAskedForWithoutAnIdIsInvalidArgument() {
    Throwable err = Await.failure(catalog.getProduct(GetProductRequest.getDefaultInstance()));
    assertThat(((InvalidStatusException) err).actualStatus()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
  }

  @Test
  void aPriceTooLargeForAnOrderTotalIsRefusedNamingTheField() {
    Product huge = Product.newBuilder().setId("t-" + UUID.randomUUID().toString().substring(0, 8)).setName("gold")
      .setPriceCents(Long.MAX_VALUE / 2).setCurrency("USD").setStock(5).build();
    InvalidStatusException err = (InvalidStatusException) Await.failure(importAll(List.of(huge)));
    assertThat(err.actualStatus()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
  }

  /** A client that cancels its import before half-closing it has imported nothing, whatever it had sent. */
  @Test
  void aCancelledImportImportsNothing() {
    String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
    Product product = Product.newBuilder().setId(id).setName("ok").setPriceCents(1).setCurrency("USD").setStock(1).build();
    Await.result(grpc.request(address, CatalogServiceGrpcClient.ImportProducts).compose(req ->
      req.write(ImportProductsRequest.newBuilder().setProduct(product).build())
        .compose(v -> req.write(ImportProductsRequest.newBuilder().setProduct(product.toBuilder().setId(id + "-2")).build()))
        .onSuccess(v -> req.cancel())));
    // The store applies imports in turn: once a later one is in, a cancelled one would be too.
    String later = newProduct(1);
    assertThat(stock(later)).isEqualTo(1);
    assertThat(((InvalidStatusException) Await.failure(catalog.getProduct(GetProductRequest.newBuilder().setId(id).build())))
      .actualStatus()).as("a product of the cancelled import").isEqualTo(GrpcStatus.NOT_FOUND);
  }

  @Test
  void pagesWalkTheWholeCatalogInIdOrderOnce() {
    // More than a default page, whatever the other tests added.
    String batch = "p-" + UUID.randomUUID().toString().substring(0, 8);
    Await.result(importAll(IntStream.range(0, 50).mapToObj(i -> Product.newBuilder().setId(batch + "-" + i).setName("n")
      .setPriceCents(1).setCurrency("USD").setStock(1).build()).toList()));
    List<String> listed = streamed(() -> catalog.listProducts(ListProductsRequest.getDefaultInstance()))
      .stream().map(r -> r.getProduct().getId()).toList();
    List<String> paged = new ArrayList<>();
    String token = "";
    do {
      GetProductPageResponse page = Await.result(catalog.getProductPage(
        GetProductPageRequest.newBuilder().setPageSize(5).setPageToken(token).build()));
      assertThat(page.getProductsCount()).isBetween(1, 5);
      page.getProductsList().forEach(p -> paged.add(p.getId()));
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    assertThat(paged).isEqualTo(listed).doesNotHaveDuplicates().isSorted();
    String after = listed.get(listed.size() / 2);
    assertThat(streamed(() -> catalog.listProducts(ListProductsRequest.newBuilder().setAfterId(after).build()))
      .stream().map(r -> r.getProduct().getId()).toList())
      .as("listed after %s", after).isEqualTo(listed.subList(listed.size() / 2 + 1, listed.size()));
    assertThat(Await.result(catalog.getProductPage(GetProductPageRequest.getDefaultInstance())).getProductsCount())
      .as("page_size 0 means 50, of %d products", listed.size()).isEqualTo(50);
    // A last page that is exactly full links to no page after it: an empty page was the client's next request.
    GetProductPageResponse last = Await.result(catalog.getProductPage(GetProductPageRequest.newBuilder().setPageSize(2)
      .setPageToken(token(listed.get(listed.size() - 3))).build()));
    assertThat(last.getProductsList()).extracting(Product::getId).isEqualTo(listed.subList(listed.size() - 2, listed.size()));
    assertThat(last.getNextPageToken()).as("the next page token of a full last page").isEmpty();
  }

  /** What the service makes a page token of: the last id shown, base64url without padding. */
  private static String token(String lastId) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(lastId.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aBadPageSizeOrTokenIsInvalidArgumentNamingTheField() {
    for (int size : new int[] {-1, 501}) {
      assertThat(failure(CatalogServiceGrpcClient.GetProductPage, GetProductPageRequest.newBuilder().setPageSize(size).build()))
        .startsWith("INVALID_ARGUMENT").contains("page_size");
    }
    // The last: a token this service would make of an id holding NUL, which no product can have.
    for (String token : new String[] {"not base64!", "bW9vbg==", "AA"}) {
      assertThat(failure(CatalogServiceGrpcClient.GetProductPage, GetProductPageRequest.newBuilder().setPageToken(token).build()))
        .startsWith("INVALID_ARGUMENT").contains("page_token");
    }
  }

  @Test
  void anAfterIdNoProductCouldHaveIsInvalidArgumentNamingIt() {
    for (String afterId : new String[] {"Mug", "\0", "a".repeat(65)}) {
      assertThat(failure(CatalogServiceGrpcClient.ListProducts, ListProductsRequest.newBuilder().setAfterId(afterId).build()))
        .startsWith("INVALID_ARGUMENT").contains("after_id");
    }
  }

  /** The status and message a failing call is answered with, as "STATUS: message". */
  static <Req, Resp> String failure(ServiceMethod<Resp, Req> method, Req request) {
    return Await.result(grpc.request(address, method)
      .compose(req -> req.send(request))
      .compose(resp -> resp.last().transform(done -> Future.succeededFuture(resp.status().name() + ": " + resp.statusMessage()))));
  }

  @Test
  void anEmptyCatalogIsSeededWithADozenProducts() {
    assertThat(Await.result(catalog.getProduct(GetProductRequest.newBuilder().setId("watch").build())).getProduct().getPriceCents())
      .isEqualTo(10999);
  }
}
