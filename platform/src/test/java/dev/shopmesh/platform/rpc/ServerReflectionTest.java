package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.testing.Await;
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
import io.vertx.grpc.reflection.v1.ServerReflectionRequest;
import io.vertx.grpc.reflection.v1.ServerReflectionResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.logging.Logger;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Server reflection as buf curl and grpcurl use it: several questions on one stream, one answer each. */
@ExtendWith(VertxExtension.class)
class ServerReflectionTest {

  static final ServiceMethod<ServerReflectionResponse, ServerReflectionRequest> INFO = ServiceMethod.client(
    ServiceName.create("grpc.reflection.v1.ServerReflection"), "ServerReflectionInfo", GrpcMessageEncoder.encoder(),
    GrpcMessageDecoder.decoder(ServerReflectionResponse.newBuilder()));

  Vertx vertx;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
  }

  @Test
  void answersEveryQuestionOnOneStreamThenEndsWhenTheClientDoes() {
    MeshServer server = Await.result(MeshServer.start(vertx, new RpcSettings(5_000, 4 << 20, 100), "127.0.0.1", 0, 1, 0, false, List.of(), Logger.getLogger("test"), GrpcCallCounts.create()));
    // Held to the end: Vert.x 5 closes a client the garbage collector finds unreachable.
    GrpcClient client = GrpcClient.client(vertx);
    GrpcClientRequest<ServerReflectionRequest, ServerReflectionResponse> call =
      Await.result(client.request(SocketAddress.inetSocketAddress(server.port(), "127.0.0.1"), INFO));
    List<ServerReflectionResponse> answers = new CopyOnWriteArrayList<>();
    Promise<GrpcStatus> ended = Promise.promise();
    call.response().onSuccess(resp -> resp.handler(answers::add).endHandler(v -> ended.complete(resp.status())).exceptionHandler(ended::fail));
    call.write(ServerReflectionRequest.newBuilder().setListServices("").build());
    call.write(ServerReflectionRequest.newBuilder().setFileContainingSymbol("grpc.health.v1.Health.Check").build());
    call.write(ServerReflectionRequest.newBuilder().setFileContainingSymbol("grpc.health.v1.HealthCheckResponse.ServingStatus").build());
    call.write(ServerReflectionRequest.newBuilder().setFileByFilename("no/such.proto").build());
    Await.until("four answers", java.time.Duration.ofSeconds(10), () -> answers.size() == 4);
    call.end();
    assertThat(Await.result(ended.future())).isEqualTo(GrpcStatus.OK);
    Await.result(client.close());

    assertThat(answers.get(0).getListServicesResponse().getServiceList()).extracting(s -> s.getName())
      .containsExactlyInAnyOrder("grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection");
    assertThat(answers.get(1).getFileDescriptorResponse().getFileDescriptorProtoCount()).isPositive();
    assertThat(answers.get(2).getFileDescriptorResponse().getFileDescriptorProtoCount()).isPositive();
    assertThat(answers.get(3).getErrorResponse().getErrorCode()).isEqualTo(GrpcStatus.NOT_FOUND.code);
    assertThat(answers.get(3).getErrorResponse().getErrorMessage()).contains("no/such.proto");
  }

  /** A question that asks nothing is the caller's mistake; extensions: none on a known type, NOT_FOUND otherwise. */
  @Test
  void questionsWithoutAnAnswerSaySo() {
    MeshServer server = Await.result(MeshServer.start(vertx, new RpcSettings(5_000, 4 << 20, 100), "127.0.0.1", 0, 1, 0, false, List.of(), Logger.getLogger("test"), GrpcCallCounts.create()));
    ServerReflectionResponse nothing = ask(server, ServerReflectionRequest.newBuilder().setHost("x").build());
    assertThat(nothing.getErrorResponse().getErrorCode()).isEqualTo(GrpcStatus.INVALID_ARGUMENT.code);
    assertThat(nothing.getErrorResponse().getErrorMessage()).startsWith("the request asks nothing: set list_services");

    ServerReflectionResponse none = ask(server, ServerReflectionRequest.newBuilder()
      .setAllExtensionNumbersOfType("grpc.health.v1.HealthCheckResponse").build());
    assertThat(none.hasErrorResponse()).isFalse();
    assertThat(none.getAllExtensionNumbersResponse().getBaseTypeName()).isEqualTo("grpc.health.v1.HealthCheckResponse");
    assertThat(none.getAllExtensionNumbersResponse().getExtensionNumberList()).isEmpty();

    ServerReflectionResponse unknown = ask(server, ServerReflectionRequest.newBuilder().setAllExtensionNumbersOfType("no.Such").build());
    assertThat(unknown.getErrorResponse().getErrorCode()).isEqualTo(GrpcStatus.NOT_FOUND.code);
    assertThat(unknown.getErrorResponse().getErrorMessage()).isEqualTo("no message type no.Such");
  }

  private ServerReflectionResponse ask(MeshServer server, ServerReflectionRequest question) {
    return Await.result(GrpcClient.client(vertx).request(SocketAddress.inetSocketAddress(server.port(), "127.0.0.1"), INFO)
      .compose(call -> call.end(question).compose(v -> call.response()))
      .compose(resp -> resp.last()));
  }

  /** Older clients ask for grpc.reflection.v1alpha: the same questions, the same answers. */
  @Test
  void answersUnderTheV1alphaNameToo() {
    MeshServer server = Await.result(MeshServer.start(vertx, new RpcSettings(5_000, 4 << 20, 100), "127.0.0.1", 0, 1, 0, false, List.of(), Logger.getLogger("test"), GrpcCallCounts.create()));
    ServiceMethod<ServerReflectionResponse, ServerReflectionRequest> v1alpha = ServiceMethod.client(ServerReflection.V1ALPHA,
      "ServerReflectionInfo", GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(ServerReflectionResponse.newBuilder()));
    ServerReflectionResponse answer = Await.result(GrpcClient.client(vertx).request(SocketAddress.inetSocketAddress(server.port(), "127.0.0.1"), v1alpha)
      .compose(call -> call.end(ServerReflectionRequest.newBuilder().setListServices("").build()).compose(v -> call.response()))
      .compose(resp -> resp.last()));
    assertThat(answer.getListServicesResponse().getServiceList()).extracting(s -> s.getName()).contains("grpc.health.v1.Health");
  }
}
