package dev.shopmesh.gateway;

import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.TestConfig;
import dev.shopmesh.proto.catalog.v1.CatalogServiceGrpcClient;
import dev.shopmesh.proto.catalog.v1.ListProductsRequest;
import dev.shopmesh.proto.catalog.v1.ListProductsResponse;
import dev.shopmesh.proto.catalog.v1.Product;
import io.vertx.core.Promise;
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
      mesh.stop("catalog-service");
      Flood flood = new Flood();
      ListingCatalog flooding = new ListingCatalog(config, (request, response) -> flood.writeWhileTaken(response));
      mesh.deploy(flooding);
      Await.until("the gateway seeing the flooding catalog alone", Duration.ofSeconds(10),
        () -> mesh.replicaAddresses("catalog-service").equals(List.of(mesh.hostPort(flooding))));

      GrpcClientResponse<ListProductsRequest, ListProductsResponse> response = Await.onEventLoop(mesh.vertx(), () -> mesh.grpc()
        .request(mesh.grpcAddress(), CatalogServiceGrpcClient.ListProducts)
        .compose(req -> req.end(ListProductsRequest.getDefaultInstance()).compose(v -> req.response()))
        .onSuccess(ReadStream::pause));
      long[] last = {-1, System.nanoTime()};
      Await.until("the flood to stall, or end", Duration.ofSeconds(20), () -> {
        int now = flood.written.get();
        if (now != last[0]) {
          last[0] = now;
          last[1] = System.nanoTime();
        }
        return System.nanoTime() - last[1] > 500_000_000L;
      });
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

  /** A ListProducts that writes as fast as its stream takes the products, counting them. */
  static final class Flood {

    static final ListProductsResponse ITEM = ListProductsResponse.newBuilder().setProduct(Product.newBuilder()
      .setId("p").setName("product").setDescription("d".repeat(1_000)).setPriceCents(100).setCurrency("EUR")).build();
    final AtomicInteger written = new AtomicInteger();

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
