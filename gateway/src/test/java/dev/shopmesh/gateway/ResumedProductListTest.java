package dev.shopmesh.gateway;

import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.TestConfig;
import dev.shopmesh.proto.catalog.v1.CatalogServiceGrpcClient;
import dev.shopmesh.proto.catalog.v1.GetProductPageRequest;
import dev.shopmesh.proto.catalog.v1.ListProductsRequest;
import dev.shopmesh.proto.catalog.v1.ListProductsResponse;
import dev.shopmesh.proto.catalog.v1.Product;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.server.GrpcServerResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog listed through the gateway ({@code ListProducts}, or {@code GET /api/products}) while
 * the catalog-service replica serving the stream is lost half way: the gateway lists the rest from
 * another replica, asking it for the products after the last one relayed, and the client gets every
 * product once, in id order, and the stream's normal end. It used to end CANCELLED or UNAVAILABLE
 * (a 503, over HTTP), and the client had to list the whole catalog again itself.
 */
class ResumedProductListTest {

  @TempDir
  Path data;

  @Test
  void aProductListCutByItsReplicaGoesOnOnAnother() {
    listedWhileItsReplicaIsLost(true, ResumedProductListTest::listProducts);
  }

  /**
   * Resumed on a catalog-service older than {@code after_id}, which lists from the first product
   * again (a rolling upgrade): the client got the first half twice.
   */
  @Test
  void aProductListResumedOnAReplicaThatIgnoresAfterIdListsEachProductOnce() {
    listedWhileItsReplicaIsLost(false, ResumedProductListTest::listProducts);
  }

  /** ListProducts through the gateway's gRPC port, its ids once it has ended. */
  private static Future<List<String>> listProducts(TestMesh mesh, String lastOfFirstHalf) {
    List<String> listed = new CopyOnWriteArrayList<>();
    Promise<Void> ended = Promise.promise();
    mesh.onEventLoop(() -> mesh.grpc().request(mesh.grpcAddress(), CatalogServiceGrpcClient.ListProducts)
      .compose(call -> call.send(ListProductsRequest.getDefaultInstance()))
      .onSuccess(stream -> Shop.follow(stream, p -> listed.add(p.getProduct().getId()), ended))
      .onFailure(ended::tryFail));
    Await.until("the first half of the catalog", Duration.ofSeconds(10), () -> listed.contains(lastOfFirstHalf));
    return ended.future().map(v -> listed);
  }

  /** The same through {@code GET /api/products}: the whole catalog, once each, in one JSON array. */
  @Test
  void theCatalogOverHttpCutByItsReplicaGoesOnOnAnother() {
    listedWhileItsReplicaIsLost(true, (mesh, lastOfFirstHalf) -> {
      HttpClient http = mesh.vertx().createHttpClient();
      StringBuffer received = new StringBuffer();
      Future<Void> ended = getCatalog(mesh, http, received);
      // Each product of the first half is bigger than the pieces the gateway writes: it reaches the client as it is relayed.
      Await.until("the first half of the catalog", Duration.ofSeconds(10), () -> received.indexOf("\"id\":\"" + lastOfFirstHalf + "\"") >= 0);
      return ended.eventually(http::close).map(v -> new JsonArray(received.toString()).stream()
        .map(p -> ((JsonObject) p).getString("id")).toList());
    });
  }

  /**
   * The catalog over HTTP when no replica can go on with it: its 200 sent, the answer is cut short,
   * never ended as a valid array missing products, and /metrics counts it so, where it read as the
   * client hanging up.
   */
  @Test
  void theCatalogOverHttpThatNoReplicaCanFinishIsCutShort() {
    // The gateway tries to go on for a deadline: a short one.
    Config config = TestConfig.in(data).with("RPC_DEADLINE_MS", "2000");
    try (TestMesh mesh = TestMesh.start(config)) {
      List<Product> catalog = catalogOf(mesh);
      Promise<Void> lose = Promise.promise();
      List<Product> firstHalf = catalog.subList(0, catalog.size() / 2);
      servedAloneBy(mesh, losing(config, firstHalf, lose.future()));
      HttpClient http = mesh.vertx().createHttpClient();
      try {
        StringBuffer received = new StringBuffer();
        Future<Void> ended = getCatalog(mesh, http, received);
        String lastOfFirstHalf = firstHalf.get(firstHalf.size() - 1).getId();
        Await.until("the first half of the catalog", Duration.ofSeconds(10), () -> received.indexOf("\"id\":\"" + lastOfFirstHalf + "\"") >= 0);
        lose.complete();

        assertThat(Await.failure(ended)).as("the answer's end").isNotNull();
        assertThat(received.toString()).as("what the client got").startsWith("[").doesNotEndWith("]");
        String cutShort = "shopmesh_http_server_requests_total{method=\"GET\",route=\"/api/products\",code=\"cut_short\"} 1";
        Await.until("the answer counted as cut short", Duration.ofSeconds(5),
          () -> mesh.get("/metrics").body().lines().anyMatch(cutShort::equals));
      } finally {
        http.close();
      }
    }
  }

  /** {@code GET /api/products} over HTTP/1.1, its body appended to {@code received} as it comes: ends with the answer. */
  private static Future<Void> getCatalog(TestMesh mesh, HttpClient http, StringBuffer received) {
    Promise<Void> ended = Promise.promise();
    mesh.onEventLoop(() -> http.request(HttpMethod.GET, mesh.httpPort(), "127.0.0.1", "/api/products")
      .compose(HttpClientRequest::send)
      .onSuccess(response -> response.handler(piece -> received.append(piece.toString()))
        .exceptionHandler(ended::tryFail).endHandler(v -> ended.tryComplete()))
      .onFailure(ended::tryFail));
    return ended.future();
  }

  /**
   * Lists the catalog with {@code list} while the one catalog-service replica serving it lists the
   * first half, then is lost, another replica having joined, which reads {@code after_id} when
   * {@code readsAfterId}: {@code list} is given the last id of the first half, to wait for it before
   * the loss, and lists every product once, in id order.
   */
  private void listedWhileItsReplicaIsLost(boolean readsAfterId, BiFunction<TestMesh, String, Future<List<String>>> list) {
    Config config = TestConfig.in(data);
    try (TestMesh mesh = TestMesh.start(config)) {
      List<Product> catalog = catalogOf(mesh);
      Promise<Void> lose = Promise.promise();
      List<Product> firstHalf = catalog.subList(0, catalog.size() / 2);
      servedAloneBy(mesh, losing(config, firstHalf, lose.future()));

      String lastOfFirstHalf = firstHalf.get(firstHalf.size() - 1).getId();
      Future<List<String>> listed = list.apply(mesh, lastOfFirstHalf);
      List<String> askedAfter = new CopyOnWriteArrayList<>();
      mesh.deploy(new ListingCatalog(config, (request, response) -> {
        askedAfter.add(request.getAfterId());
        catalog.stream().filter(p -> !readsAfterId || p.getId().compareTo(request.getAfterId()) > 0)
          .forEach(p -> response.write(ListProductsResponse.newBuilder().setProduct(p).build()));
        response.end();
      }));
      Await.until("the gateway seeing two catalog-service replicas", Duration.ofSeconds(10),
        () -> mesh.replicaAddresses("catalog-service").size() == 2);
      lose.complete();

      assertThat(Await.result(listed)).containsExactlyElementsOf(catalog.stream().map(Product::getId).toList());
      // Not the whole catalog again, for the gateway to leave out what the client has: it kept every id relayed to do so.
      assertThat(askedAfter).as("the after_id of each resumed call").isNotEmpty().containsOnly(lastOfFirstHalf);
    }
  }

  /** The sample catalog the mesh starts with. */
  private static List<Product> catalogOf(TestMesh mesh) {
    List<Product> catalog = Await.result(CatalogServiceGrpcClient.create(mesh.grpc(), mesh.grpcAddress())
      .getProductPage(GetProductPageRequest.newBuilder().setPageSize(500).build())).getProductsList();
    assertThat(catalog).hasSizeGreaterThan(4);
    return catalog;
  }

  /** The mesh's catalog-service replaced by {@code replica}, once the gateway sees it alone. */
  private static void servedAloneBy(TestMesh mesh, ListingCatalog replica) {
    mesh.stop("catalog-service");
    mesh.deploy(replica);
    // By its port: the stopped replica can still be in the gateway's view for a moment.
    Await.until("the gateway seeing the losing replica alone", Duration.ofSeconds(10),
      () -> mesh.replicaAddresses("catalog-service").equals(List.of(mesh.hostPort(replica))));
  }

  /**
   * A ListProducts that lists {@code first} and then, once {@code lost} completes, resets the stream,
   * as a replica killed or cut off half way through does; a later ListProducts is reset at once.
   */
  private static ListingCatalog losing(Config config, List<Product> first, Future<Void> lost) {
    return new ListingCatalog(config, (request, response) -> {
      if (lost.isComplete()) {
        ((GrpcServerResponse<?, ?>) response).cancel();
        return;
      }
      // Described at length: bigger than the 16 KiB pieces of the gateway's HTTP answer (JsonArrayAnswer),
      // each is sent on as it comes.
      first.forEach(p -> response.write(ListProductsResponse.newBuilder()
        .setProduct(p.toBuilder().setDescription("d".repeat(20_000))).build()));
      lost.onComplete(v -> ((GrpcServerResponse<?, ?>) response).cancel());
    });
  }
}
