package dev.shopmesh.gateway;

import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.TestConfig;
import dev.shopmesh.proto.order.v1.OrderServiceGrpcClient;
import dev.shopmesh.proto.order.v1.TrackOrdersRequest;
import dev.shopmesh.proto.order.v1.TrackOrdersResponse;
import io.vertx.core.Promise;
import io.vertx.grpc.client.GrpcClientRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stream its caller keeps open carries no default deadline (docs/grpc-limits.md): a TrackOrders
 * through the gateway still follows orders after several of the deadlines unary calls get.
 */
class LongStreamTest {

  @TempDir
  Path data;

  @Test
  void aTrackOrdersStreamOutlivesTheDefaultDeadline() {
    try (TestMesh mesh = TestMesh.start(TestConfig.in(data).with("RPC_DEADLINE_MS", "2000"))) {
      GrpcClientRequest<TrackOrdersRequest, TrackOrdersResponse> call =
        Await.result(mesh.grpc().request(mesh.grpcAddress(), OrderServiceGrpcClient.TrackOrders));
      List<String> followed = new CopyOnWriteArrayList<>();
      Promise<Void> ended = Promise.promise();
      call.response().onSuccess(resp -> resp.handler(r -> followed.add(r.getOrder().getId()))
        .exceptionHandler(ended::tryFail).endHandler(v -> ended.tryComplete()));
      String first = placed(mesh);
      call.write(TrackOrdersRequest.newBuilder().setAddOrderId(first).build());
      Await.until("the first order followed", Duration.ofSeconds(5), () -> followed.contains(first));

      Await.result(mesh.vertx().timer(5_000));
      assertThat(ended.future().isComplete()).as("the stream ended within 2.5 default deadlines").isFalse();

      String second = placed(mesh);
      call.write(TrackOrdersRequest.newBuilder().setAddOrderId(second).build());
      Await.until("the second order followed on the same stream", Duration.ofSeconds(5), () -> followed.contains(second));
      call.end();
    }
  }

  private static String placed(TestMesh mesh) {
    TestMesh.Reply reply = mesh.post("/api/orders", Shop.order("mug", 1, Shop.APPROVED_CARD));
    assertThat(reply.status()).as("%s", reply.body()).isEqualTo(201);
    return reply.json().getString("orderId");
  }
}
