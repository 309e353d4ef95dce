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
import io.vertx.grpc.server.GrpcServerResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog listed through the gateway ({@code ListProducts}) while the catalog-service replica
 * serving the stream is lost half way: the gateway lists the rest from another replica, asking it
 * for the products after the last one relayed, and the client gets every product once, in id
 * order, and the stream's normal end. It used to end CANCELLED or UNAVAILABLE, and the client had
 * to list the whole catalog again itself.
 */
class ResumedProductListTest {

  @TempDir
  Path data;

  @Test
  void aProductListCutByItsReplicaGoesOnOnAnother() {
    Config config = TestConfig.in(data);
    try (TestMesh mesh = TestMesh.start(config)) {
      List<Product> catalog = Await.result(CatalogServiceGrpcClient.create(mesh.grpc(), mesh.grpcAddress())
        .getProductPage(GetProductPageRequest.newBuilder().setPageSize(500).build())).getProductsList();
      assertThat(catalog).hasSizeGreaterThan(4);
      mesh.stop("catalog-service");
      Promise<Void> lose = Promise.promise();
      ListingCatalog losing = losing(config, catalog.subList(0, catalog.size() / 2), lose.future());
      mesh.deploy(losing);
      // By its port: the stopped replica can still be in the gateway's view for a moment.
      Await.until("the gateway seeing the losing replica alone", Duration.ofSeconds(10),
        () -> mesh.replicaAddresses("catalog-service").equals(List.of(mesh.hostPort(losing))));

      List<String> listed = new CopyOnWriteArrayList<>();
      Promise<Void> ended = Promise.promise();
      mesh.onEventLoop(() -> mesh.grpc().request(mesh.grpcAddress(), CatalogServiceGrpcClient.ListProducts)
        .compose(call -> call.send(ListProductsRequest.getDefaultInstance()))
        .onSuccess(stream -> Shop.follow(stream, p -> listed.add(p.getProduct().getId()), ended))
        .onFailure(ended::tryFail));
      Await.until("the first half of the catalog", Duration.ofSeconds(10), () -> listed.size() == catalog.size() / 2);
      List<String> askedAfter = new CopyOnWriteArrayList<>();
      mesh.deploy(new ListingCatalog(config, (request, response) -> {
        askedAfter.add(request.getAfterId());
        catalog.stream().filter(p -> p.getId().compareTo(request.getAfterId()) > 0)
          .forEach(p -> response.write(ListProductsResponse.newBuilder().setProduct(p).build()));
        response.end();
      }));
      Await.until("the gateway seeing two catalog-service replicas", Duration.ofSeconds(10),
        () -> mesh.replicaAddresses("catalog-service").size() == 2);
      lose.complete();

      Await.result(ended.future());
      assertThat(listed).containsExactlyElementsOf(catalog.stream().map(Product::getId).toList());
      // Not the whole catalog again, for the gateway to leave out what the client has: it kept every id relayed to do so.
      assertThat(askedAfter).as("the after_id of each resumed call").isNotEmpty()
        .containsOnly(catalog.get(catalog.size() / 2 - 1).getId());
    }
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
      first.forEach(p -> response.write(ListProductsResponse.newBuilder().setProduct(p).build()));
      lost.onComplete(v -> ((GrpcServerResponse<?, ?>) response).cancel());
    });
  }
}
