package dev.shopmesh.gateway;

import dev.shopmesh.platform.rpc.Rpc;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.TestConfig;
import dev.shopmesh.proto.order.v1.OrderServiceGrpcClient;
import dev.shopmesh.proto.order.v1.TrackOrdersRequest;
import dev.shopmesh.proto.order.v1.WatchOrderRequest;
import dev.shopmesh.proto.order.v1.WatchOrderResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TrackOrders calls that order-service answers with a status while the gateway's side of them is
 * still open (an id that names no order): the gateway ends its side, so each gives its stream on
 * order-service back. It kept them open until its caller closed its own side, and with a few
 * streams per connection, a handful of such calls left the gateway none to follow an order with.
 */
class AnsweredTrackOrdersTest {

  @TempDir
  Path data;

  @Test
  void aTrackOrdersAnsweredNotFoundGivesItsStreamBack() {
    // Two streams per connection, on each of the gateway's eight stream connections to order-service.
    try (TestMesh mesh = TestMesh.start(TestConfig.in(data).with("MAX_CONCURRENT_STREAMS", "2"))) {
      for (int i = 0; i < 24; i++) {
        assertThat(Rpc.statusOf(Await.failure(trackUnknown(mesh, "no-such-order-" + i)))).isEqualTo(GrpcStatus.NOT_FOUND);
      }
      String id = mesh.post("/api/orders", Shop.order("mug", 1, Shop.APPROVED_CARD)).json().getString("orderId");
      List<WatchOrderResponse> states = Shop.collect(mesh, () -> mesh.grpc().request(mesh.grpcAddress(), OrderServiceGrpcClient.WatchOrder)
        .compose(call -> call.timeout(5, TimeUnit.SECONDS).send(WatchOrderRequest.newBuilder().setId(id).build())));
      assertThat(states).extracting(s -> s.getOrder().getId()).containsExactly(id);
    }
  }

  /**
   * TrackOrders adding {@code id}, its side kept open, as a caller following more orders does; the
   * status it ends with. The caller ends its side once answered, as grpc-java and grpc-js do, so
   * that only the gateway's call to order-service can hold a stream.
   */
  private static Future<Void> trackUnknown(TestMesh mesh, String id) {
    return mesh.grpc().request(mesh.grpcAddress(), OrderServiceGrpcClient.TrackOrders).compose(call -> {
      call.write(TrackOrdersRequest.newBuilder().setAddOrderId(id).build());
      return call.response().compose(resp -> {
        Promise<Void> ended = Promise.promise();
        resp.handler(message -> { }).endHandler(v -> {
          call.end();
          StatusException status = Rpc.endStatus(resp);
          if (status == null) {
            ended.complete();
          } else {
            ended.fail(status);
          }
        });
        return ended.future();
      }, err -> {
        call.end();
        return Future.failedFuture(err);
      });
    });
  }
}
