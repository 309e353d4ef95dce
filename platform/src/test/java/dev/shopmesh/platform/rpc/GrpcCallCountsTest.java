package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.metrics.ServedCalls;
import dev.shopmesh.platform.testing.Await;
import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.Descriptors;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.health.v1.HealthCheckResponse;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.Service;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
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
    // Once the status now arrived, the caller hangs up. Set before the request goes, so that the
    // handler is in place before any answer can come.
    watch.response().onSuccess(response -> response.handler(status -> watch.cancel()));
    watch.end(HealthCheckRequest.getDefaultInstance());

    Await.until("the five calls counted", Duration.ofSeconds(5), () -> text(answered).contains("code=\"CANCELLED\"} 1"));
    assertThat(text(answered)).contains(
      "shopmesh_grpc_server_calls_total{method=\"/grpc.health.v1.Health/Check\",code=\"NOT_FOUND\"} 1\n",
      "shopmesh_grpc_server_calls_total{method=\"/grpc.health.v1.Health/Check\",code=\"OK\"} 2\n",
      "shopmesh_grpc_server_calls_total{method=\"/grpc.health.v1.Health/Watch\",code=\"CANCELLED\"} 1\n",
      "shopmesh_grpc_server_calls_total{method=\"other\",code=\"UNIMPLEMENTED\"} 1\n",
      "shopmesh_grpc_server_call_duration_seconds_count{method=\"/grpc.health.v1.Health/Check\"} 3\n");
  }

  /**
   * A caller whose connection closes while its call waits: counted once, CANCELLED, though the
   * handler answers after, with an error and no message (Vert.x 5.0.7 signals the end of that
   * answer a second time).
   */
  @Test
  void aCallWhoseCallerHungUpCountsOnceThoughItsAnswerComesAfter(Vertx vertx) throws Exception {
    ServedCalls answered = GrpcCallCounts.create();
    Promise<Void> slow = Promise.promise();
    AtomicBoolean asked = new AtomicBoolean();
    MeshServer server = Await.result(MeshServer.start(vertx, UnaryAnswersTest.SETTINGS, "127.0.0.1", 0, 1, 0, false,
      List.of(answeringWhen(slow.future(), asked)), Logger.getLogger("test"), answered));
    SocketAddress address = SocketAddress.inetSocketAddress(server.port(), "127.0.0.1");
    GrpcClient leaving = GrpcClient.client(vertx);
    call(leaving, address, SLOW, "");
    Await.until("the call waiting for its answer", Duration.ofSeconds(5), asked::get);
    Await.result(leaving.close());
    Await.until("the hang-up counted", Duration.ofSeconds(5), () -> text(answered).contains("code=\"CANCELLED\"} 1"));

    slow.complete();
    // A call after it, on the same event loop: by its answer, the late one was sent too.
    Await.result(call(GrpcClient.client(vertx), address, HealthAnswersTest.CHECK, ""));
    assertThat(text(answered)).contains(
      "shopmesh_grpc_server_calls_total{method=\"/test.v1.Slow/Call\",code=\"CANCELLED\"} 1\n",
      "shopmesh_grpc_server_call_duration_seconds_count{method=\"/test.v1.Slow/Call\"} 1\n").doesNotContain("NOT_FOUND");
  }

  static final ServiceMethod<HealthCheckResponse, HealthCheckRequest> SLOW = ServiceMethod.client(
    ServiceName.create("test.v1.Slow"), "Call", GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(HealthCheckResponse.newBuilder()));

  /** A service whose one method answers NOT_FOUND once {@code answer} completes, whether its caller is still there or not. */
  private static Service answeringWhen(Future<Void> answer, AtomicBoolean asked) throws Descriptors.DescriptorValidationException {
    Descriptors.FileDescriptor health = HealthCheckRequest.getDescriptor().getFile();
    Descriptors.ServiceDescriptor slow = Descriptors.FileDescriptor.buildFrom(DescriptorProtos.FileDescriptorProto.newBuilder()
      .setName("test/v1/slow.proto").setPackage("test.v1").setSyntax("proto3").addDependency(health.getName())
      .addService(DescriptorProtos.ServiceDescriptorProto.newBuilder().setName("Slow").addMethod(
        DescriptorProtos.MethodDescriptorProto.newBuilder().setName("Call")
          .setInputType(".grpc.health.v1.HealthCheckRequest").setOutputType(".grpc.health.v1.HealthCheckResponse")))
      .build(), new Descriptors.FileDescriptor[] {health}).findServiceByName("Slow");
    ServiceMethod<HealthCheckRequest, HealthCheckResponse> call = ServiceMethod.server(ServiceName.create("test.v1.Slow"), "Call",
      GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(HealthCheckRequest.newBuilder()));
    return new Service() {
      @Override
      public ServiceName name() {
        return call.serviceName();
      }

      @Override
      public Descriptors.ServiceDescriptor descriptor() {
        return slow;
      }

      @Override
      public void bind(GrpcServer server) {
        server.callHandler(call, request -> request.handler(message -> {
          asked.set(true);
          answer.onComplete(v -> request.response().status(GrpcStatus.NOT_FOUND).end());
        }));
      }
    };
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
