package dev.shopmesh.gateway;

import dev.shopmesh.platform.rpc.Rpc;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.TestConfig;
import dev.shopmesh.proto.order.v1.OrderServiceGrpcClient;
import dev.shopmesh.proto.order.v1.TrackOrdersRequest;
import dev.shopmesh.proto.order.v1.TrackOrdersResponse;
import io.vertx.core.Promise;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A TrackOrders stream open on an order-service replica that stops: it held the stop for its whole
 * grace (5 s), then broke with the connection, and its client read "a dependency is unavailable".
 * (Through the gateway, the stream goes on on another replica: ResumedOrderStreamsTest.)
 */
class StoppingOrderServiceTest {

  @TempDir
  Path data;

  @Test
  void aStoppingReplicaEndsItsOpenStreamsAtOnceSayingWhy() {
    try (TestMesh mesh = TestMesh.start(TestConfig.in(data))) {
      String id = mesh.post("/api/orders", Shop.order("mug", 1, Shop.APPROVED_CARD)).json().getString("orderId");
      Promise<Void> ended = Promise.promise();
      GrpcClientRequest<TrackOrdersRequest, TrackOrdersResponse> call =
        Await.result(mesh.grpc().request(mesh.address("order-service"), OrderServiceGrpcClient.TrackOrders));
      int[] seen = {0};
      call.response().onSuccess(resp -> resp.handler(r -> seen[0]++).exceptionHandler(ended::fail).endHandler(v -> {
        StatusException status = Rpc.endStatus(resp);
        if (status == null) {
          ended.complete();
        } else {
          ended.fail(status);
        }
      }));
      call.write(TrackOrdersRequest.newBuilder().setAddOrderId(id).build());
      Await.until("the tracked order", Duration.ofSeconds(10), () -> seen[0] == 1);

      long start = System.nanoTime();
      mesh.stop("order-service");
      long stopMillis = (System.nanoTime() - start) / 1_000_000;

      StatusException status = (StatusException) Await.failure(ended.future());
      assertThat(status.status()).isEqualTo(GrpcStatus.UNAVAILABLE);
      assertThat(status.message()).isEqualTo("this order-service replica is stopping: open the stream again, another replica serves it");
      assertThat(stopMillis).as("ms the stop took, its grace 5 s").isLessThan(2_500);
    }
  }
}
