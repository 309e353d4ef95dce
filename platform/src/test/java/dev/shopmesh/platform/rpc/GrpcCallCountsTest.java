package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.metrics.ServedCalls;
import dev.shopmesh.platform.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.health.v1.HealthCheckResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server counts each call it answers by method and gRPC status, a call to a method it does not
 * serve under "other" (its path is the caller's to choose), one the caller cancels as CANCELLED.
 */
@ExtendWith(VertxExtension.class)
class GrpcCallCountsTest {

  static final ServiceMethod<HealthCheckResponse, HealthCheckRequest> UNKNOWN = ServiceMethod.client(
    ServiceName.create("nope.v1.Nope"), "Call", GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(HealthCheckResponse.newBuilder()));

  @Test
  void eachCallCountsByMethodAndStatus(Vertx vertx) {
    ServedCalls answered = GrpcCallCounts.create();
    MeshServer server = Await.result(MeshServer.start(vertx, UnaryAnswersTest.SETTINGS, "127.0.0.1", 0, 1, 0, false, List.of(),
      Logger.getLogger("test"), answered));
    SocketAddress address = SocketAddress.inetSocketAddress(server.port(), "127.0.0.1");
    GrpcClient client = GrpcClient.client(vertx);

    Await.result(call(client, address, HealthAnswersTest.CHECK, ""));
    Await.result(call(client, address, HealthAnswersTest.CHECK, ""));
    Await.failure(call(client, address, HealthAnswersTest.CHECK, "no.such.Service"));
    Await.failure(call(client, address, UNKNOWN, ""));
    GrpcClientRequest<HealthCheckRequest, HealthCheckResponse> watch = Await.result(client.request(address, HealthAnswersTest.WATCH));
    watch.end(HealthCheckRequest.getDefaultInstance());
    // Once the status now arrived, the caller hangs up.
    watch.response().onSuccess(response -> response.handler(status -> watch.cancel()));

    Await.until("the five calls counted", Duration.ofSeconds(5), () -> text(answered).contains("code=\"CANCELLED\"} 1"));
    assertThat(text(answered)).contains(
      "shopmesh_grpc_server_calls_total{method=\"/grpc.health.v1.Health/Check\",code=\"NOT_FOUND\"} 1\n",
      "shopmesh_grpc_server_calls_total{method=\"/grpc.health.v1.Health/Check\",code=\"OK\"} 2\n",
      "shopmesh_grpc_server_calls_total{method=\"/grpc.health.v1.Health/Watch\",code=\"CANCELLED\"} 1\n",
      "shopmesh_grpc_server_calls_total{method=\"other\",code=\"UNIMPLEMENTED\"} 1\n",
      "shopmesh_grpc_server_call_duration_seconds_count{method=\"/grpc.health.v1.Health/Check\"} 3\n");
  }

  private static io.vertx.core.Future<HealthCheckResponse> call(GrpcClient client, SocketAddress address,
                                                               ServiceMethod<HealthCheckResponse, HealthCheckRequest> method, String service) {
    return client.request(address, method)
      .compose(request -> request.send(HealthCheckRequest.newBuilder().setService(service).build()))
      .compose(response -> response.last());
  }

  private static String text(ServedCalls calls) {
    StringBuilder out = new StringBuilder();
    calls.writeTo(out);
    return out.toString();
  }
}
