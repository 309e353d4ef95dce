package dev.shopmesh.gateway;

import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.TestConfig;
import dev.shopmesh.proto.catalog.v1.CatalogServiceGrpcClient;
import dev.shopmesh.proto.catalog.v1.ListProductsRequest;
import dev.shopmesh.proto.catalog.v1.ListProductsResponse;
import dev.shopmesh.proto.catalog.v1.Product;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.client.GrpcClientResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A caller of a relayed stream that reads slowly, or stops: the gateway passes HTTP/2's flow control
 * on to the service streaming, rather than reading the whole stream into its own memory for it.
 */
class SlowStreamReaderTest {

  /** About 20 MiB of products: far more than the HTTP/2 windows and write queues between the three hold. */
  static final int PRODUCTS = 20_000;

  @TempDir
  Path data;

  @Test
  void aCallerThatStopsReadingHoldsTheStreamingServiceBack() {
    Config config = TestConfig.in(data);
    try (TestMesh mesh = TestMesh.start(config)) {
      Flood flood = Flood.instead(mesh, config);

      GrpcClientResponse<ListProductsRequest, ListProductsResponse> response = Await.onEventLoop(mesh.vertx(), () -> mesh.grpc()
        .request(mesh.grpcAddress(), CatalogServiceGrpcClient.ListProducts)
        .compose(req -> req.end(ListProductsRequest.getDefaultInstance()).compose(v -> req.response()))
        .onSuccess(ReadStream::pause));
      awaitStall(flood);
      assertThat(flood.written.get()).as("products catalog-service could write to a caller that reads nothing")
        .isLessThan(PRODUCTS / 4);

      AtomicInteger read = new AtomicInteger();
      Promise<Void> ended = Promise.promise();
      response.handler(product -> read.incrementAndGet()).endHandler(ended::complete);
      response.resume();
      Await.result(ended.future());
      assertThat(read).as("then, reading again, every product").hasValue(PRODUCTS);
    }
  }

  /**
   * The same over HTTP ({@code GET /api/products}, the whole catalog): the gateway writes the JSON
   * array as the products come, so a client that stops reading holds catalog-service back. It read
   * the whole stream into memory first, 20 MiB for each such request.
   */
  @Test
  void anHttpClientThatStopsReadingHoldsTheCatalogBack() {
    Config config = TestConfig.in(data);
    try (TestMesh mesh = TestMesh.start(config)) {
      Flood flood = Flood.instead(mesh, config);

      // A fixed receive buffer: autotuned, loopback's can grow to megabytes.
      HttpClient http = mesh.vertx().createHttpClient(new HttpClientOptions().setReceiveBufferSize(64 * 1024));
      HttpClientResponse response = Await.onEventLoop(mesh.vertx(), () -> http
        .request(HttpMethod.GET, mesh.httpPort(), "127.0.0.1", "/api/products")
        .compose(HttpClientRequest::send)
        .onSuccess(HttpClientResponse::pause));
      awaitStall(flood);
      // What the gateway's socket buffer holds (a few MiB on loopback), and the gRPC windows behind it.
      assertThat(flood.written.get()).as("products catalog-service could write to an HTTP client that reads nothing")
        .isLessThan(PRODUCTS / 2);

      JsonArray products = Await.onEventLoop(mesh.vertx(), () -> {
        Future<Buffer> body = response.body();
        response.resume();
        return body;
      }).toJsonArray();
      assertThat(products).as("then, reading again, every product").hasSize(PRODUCTS);
      assertThat(products.getJsonObject(PRODUCTS - 1).getString("id")).isEqualTo("p");
      Await.result(http.close());
    }
  }

  /** Until {@code flood} has written nothing for half a second, or has ended. */
  private static void awaitStall(Flood flood) {
    long[] last = {-1, System.nanoTime()};
    Await.until("the flood to stall, or end", Duration.ofSeconds(20), () -> {
      int now = flood.written.get();
      if (now != last[0]) {
        last[0] = now;
        last[1] = System.nanoTime();
      }
      return System.nanoTime() - last[1] > 500_000_000L;
    });
  }

  /** A ListProducts that writes as fast as its stream takes the products, counting them. */
  static final class Flood {

    static final ListProductsResponse ITEM = ListProductsResponse.newBuilder().setProduct(Product.newBuilder()
      .setId("p").setName("product").setDescription("d".repeat(1_000)).setPriceCents(100).setCurrency("EUR")).build();
    final AtomicInteger written = new AtomicInteger();

    /** A flood that replaces {@code mesh}'s catalog-service replica, once the gateway sees it alone. */
    static Flood instead(TestMesh mesh, Config config) {
      mesh.stop("catalog-service");
      Flood flood = new Flood();
      ListingCatalog flooding = new ListingCatalog(config, (request, response) -> flood.writeWhileTaken(response));
      mesh.deploy(flooding);
      Await.until("the gateway seeing the flooding catalog alone", Duration.ofSeconds(10),
        () -> mesh.replicaAddresses("catalog-service").equals(List.of(mesh.hostPort(flooding))));
      return flood;
    }

    void writeWhileTaken(WriteStream<ListProductsResponse> response) {
      while (written.get() < PRODUCTS && !response.writeQueueFull()) {
        response.write(ITEM);
        written.incrementAndGet();
      }
      if (written.get() == PRODUCTS) {
        response.end();
      } else {
        response.drainHandler(v -> writeWhileTaken(response));
      }
    }
  }
}
