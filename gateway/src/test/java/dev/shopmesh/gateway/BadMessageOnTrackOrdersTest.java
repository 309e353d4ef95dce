package dev.shopmesh.gateway;

import dev.shopmesh.platform.rpc.Rpc;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.LogCapture;
import dev.shopmesh.platform.testing.TestConfig;
import dev.shopmesh.proto.order.v1.OrderServiceGrpcClient;
import dev.shopmesh.proto.order.v1.TrackOrdersRequest;
import dev.shopmesh.proto.order.v1.WatchOrderRequest;
import dev.shopmesh.proto.order.v1.WatchOrderResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A TrackOrders caller that sends a message that is not one after an order it follows: it is
 * answered INVALID_ARGUMENT in the trailers, where a reset overtook the status and it read its own
 * cancel, and the gateway's stream to order-service ends with it, where it stayed open for good
 * when the caller had sent its end too (the relay wrote on to the closed call, logging an error).
 */
class BadMessageOnTrackOrdersTest {

  @TempDir
  Path data;

  @Test
  void aBadMessageAfterAnAddIsAnsweredInTheTrailersAndGivesTheStreamBack() {
    // Two streams per connection, on each of the gateway's eight stream connections to order-service.
    try (TestMesh mesh = TestMesh.start(TestConfig.in(data).with("MAX_CONCURRENT_STREAMS", "2"));
         LogCapture vertx = new LogCapture("io.vertx.core.impl.ContextImpl", Level.SEVERE)) {
      String id = mesh.post("/api/orders", Shop.order("mug", 1, Shop.APPROVED_CARD)).json().getString("orderId");
      for (int i = 0; i < 48; i++) {
        Throwable ended = Await.failure(i % 2 == 0 ? addThenGarbage(mesh, id) : addGarbageAndEnd(mesh, id));
        assertThat(ended).as("the status, not a reset").isInstanceOf(StatusException.class);
        assertThat(Rpc.statusOf(ended)).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
      }
      Await.until("the gateway's calls to order-service all ended", Duration.ofSeconds(5), () -> orderServiceCallsInFlight(mesh) == 0);
      List<WatchOrderResponse> states = Shop.collect(mesh, () -> mesh.grpc().request(mesh.grpcAddress(), OrderServiceGrpcClient.WatchOrder)
        .compose(call -> call.timeout(5, TimeUnit.SECONDS).send(WatchOrderRequest.newBuilder().setId(id).build())));
      assertThat(states).as("streams to order-service left to follow an order with").extracting(s -> s.getOrder().getId())
        .containsExactly(id);
      // The relay's write to the closed call: Vert.x's report of a handler that threw.
      assertThat(vertx.linesContaining("Unhandled exception")).as("handlers that threw").isEmpty();
    }
  }

  /** The calls the gateway has open to order-service's replicas, as its balancer counts them (/api/mesh). */
  private static long orderServiceCallsInFlight(TestMesh mesh) {
    return mesh.get("/api/mesh").json().getJsonArray("services").stream().map(JsonObject.class::cast)
      .filter(service -> service.getString("name").equals("order-service"))
      .flatMap(service -> service.getJsonArray("replicas").stream().map(JsonObject.class::cast))
      .mapToLong(replica -> replica.getLong("inFlight", 0L)).sum();
  }

  /** Three bytes that are no protobuf message. */
  static final GrpcMessage GARBAGE = GrpcMessage.message("identity", Buffer.buffer(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}));

  /** TrackOrders adding {@code id}, then, once answered, {@link #GARBAGE}, its side left open; how its answer ends. */
  private static Future<Void> addThenGarbage(TestMesh mesh, String id) {
    return track(mesh, id, false);
  }

  /** TrackOrders adding {@code id}, {@link #GARBAGE} and its end, all sent at once (vertx-grpc then did not tell the handler). */
  private static Future<Void> addGarbageAndEnd(TestMesh mesh, String id) {
    return track(mesh, id, true);
  }

  private static Future<Void> track(TestMesh mesh, String id, boolean atOnce) {
    return mesh.grpc().request(mesh.grpcAddress(), OrderServiceGrpcClient.TrackOrders).compose(call -> {
      call.write(TrackOrdersRequest.newBuilder().setAddOrderId(id).build());
      if (atOnce) {
        call.writeMessage(GARBAGE);
        call.end();
      }
      return call.response().compose(resp -> {
        Promise<Void> ended = Promise.promise();
        Shop.follow(resp, first -> {
          if (!atOnce) {
            call.writeMessage(GARBAGE);
          }
        }, ended);
        return ended.future();
      });
    });
  }
}
