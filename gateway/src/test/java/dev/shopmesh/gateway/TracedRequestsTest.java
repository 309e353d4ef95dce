package dev.shopmesh.gateway;

import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.LogCapture;
import dev.shopmesh.proto.order.v1.GetOrderRequest;
import dev.shopmesh.proto.order.v1.OrderServiceGrpcClient;
import dev.shopmesh.proto.order.v1.TrackOrdersRequest;
import dev.shopmesh.proto.order.v1.TrackOrdersResponse;
import io.vertx.core.Promise;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One request's log lines, in every service it went through, carry one {@code trace_id}: the
 * caller's W3C {@code traceparent}, or a trace the gateway began, which the answer to a request
 * that failed names in {@code traceresponse}. A failed request's lines are found by that id,
 * whichever service wrote them.
 */
class TracedRequestsTest {

  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String PARENT = "00-" + TRACE + "-00f067aa0ba902b7-01";

  @TempDir
  static Path data;
  static TestMesh mesh;

  @BeforeAll
  static void start() {
    mesh = TestMesh.start(data);
  }

  @AfterAll
  static void stop() {
    mesh.close();
  }

  @Test
  void anHttpRequestsLinesInTheGatewayAndOrderServiceCarryTheCallersTrace() {
    try (LogCapture log = new LogCapture("shopmesh", Level.INFO)) {
      TestMesh.Reply reply = mesh.get("/api/orders/no-such-order-1", Map.of("traceparent", PARENT));
      assertThat(reply.status()).isEqualTo(404);
      // The same trace, under the gateway's own span, flags as sent.
      assertThat(reply.header("traceresponse")).matches("00-" + TRACE + "-[0-9a-f]{16}-01").doesNotContain("00f067aa0ba902b7");
      assertThat(log.linesContaining("no-such-order-1"))
        .anySatisfy(line -> assertThat(line).contains("\"logger\":\"shopmesh.order-service\"", traced(TRACE)))
        .anySatisfy(line -> assertThat(line).contains("\"logger\":\"shopmesh.gateway\"", traced(TRACE)));
    }
  }

  @Test
  void aRequestWithNoTraceIsGivenOneThatItsAnswerNames() {
    try (LogCapture log = new LogCapture("shopmesh", Level.INFO)) {
      TestMesh.Reply reply = mesh.get("/api/orders/no-such-order-2");
      assertThat(reply.status()).isEqualTo(404);
      String trace = traceOf(reply.header("traceresponse"));
      assertThat(log.linesContaining("no-such-order-2"))
        .anySatisfy(line -> assertThat(line).contains("\"logger\":\"shopmesh.order-service\"", traced(trace)))
        .anySatisfy(line -> assertThat(line).contains("\"logger\":\"shopmesh.gateway\"", traced(trace)));
    }
  }

  /** Nothing was logged for it: a header on every answer would cost every call (see Trace.nameInFailedAnswer). */
  @Test
  void anAnswerThatSucceededNamesNoTrace() {
    TestMesh.Reply reply = mesh.get("/health", Map.of("traceparent", PARENT));
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("traceresponse")).isNull();
  }

  @Test
  void aMalformedTraceparentIsReplacedNotRefused() {
    TestMesh.Reply reply = mesh.get("/api/orders/no-such-order-3", Map.of("traceparent", "00-" + TRACE.toUpperCase() + "-00f067aa0ba902b7-01"));
    assertThat(reply.status()).isEqualTo(404);
    assertThat(traceOf(reply.header("traceresponse"))).isNotEqualTo(TRACE);
  }

  @Test
  void aGrpcCallCarriesItsTraceToOrderServiceAndIsToldIt() {
    try (LogCapture log = new LogCapture("shopmesh", Level.INFO)) {
      GrpcClientResponse<?, ?> response = Await.result(mesh.grpc().request(mesh.grpcAddress(), OrderServiceGrpcClient.GetOrder)
        .compose(call -> {
          call.headers().set("traceparent", PARENT);
          return call.end(GetOrderRequest.newBuilder().setId("no-such-order-4").build()).compose(v -> call.response());
        }));
      assertThat(traceOf(response.headers().get("traceresponse"))).isEqualTo(TRACE);
      assertThat(log.linesContaining("no-such-order-4"))
        .anySatisfy(line -> assertThat(line).contains("\"logger\":\"shopmesh.order-service\"", traced(TRACE)));
    }
  }

  /** A stream that fails after answering names the trace in its trailers: its headers were sent with the first answer. */
  @Test
  void aStreamThatFailsAfterAnsweringNamesItsTraceInItsTrailers() {
    String id = mesh.post("/api/orders", Shop.order("mug", 1, Shop.APPROVED_CARD)).json().getString("orderId");
    GrpcClientRequest<TrackOrdersRequest, TrackOrdersResponse> call =
      Await.result(mesh.grpc().request(mesh.grpcAddress(), OrderServiceGrpcClient.TrackOrders));
    call.headers().set("traceparent", PARENT);
    Promise<GrpcClientResponse<TrackOrdersRequest, TrackOrdersResponse>> ended = Promise.promise();
    List<String> seen = new CopyOnWriteArrayList<>();
    call.response().onSuccess(resp -> resp.handler(r -> {
      seen.add(r.getOrder().getId());
      // Answered, so its headers are sent: now an id that names no order ends it NOT_FOUND.
      call.end(TrackOrdersRequest.newBuilder().setAddOrderId("no-such-order-5").build());
    }).endHandler(v -> ended.complete(resp)).exceptionHandler(ended::fail)).onFailure(ended::fail);
    call.write(TrackOrdersRequest.newBuilder().setAddOrderId(id).build());
    GrpcClientResponse<TrackOrdersRequest, TrackOrdersResponse> response = Await.result(ended.future());
    assertThat(seen).containsExactly(id);
    assertThat(response.status()).isEqualTo(GrpcStatus.NOT_FOUND);
    assertThat(response.headers().get("traceresponse")).isNull();
    assertThat(traceOf(response.trailers().get("traceresponse"))).isEqualTo(TRACE);
  }

  private static String traced(String trace) {
    return "\"trace_id\":\"" + trace + "\"";
  }

  private static String traceOf(String traceresponse) {
    assertThat(traceresponse).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
    return traceresponse.substring(3, 35);
  }
}
