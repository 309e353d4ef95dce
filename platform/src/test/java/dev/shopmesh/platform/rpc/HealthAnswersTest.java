package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.LogCapture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.health.HealthService;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.health.v1.HealthCheckResponse;
import io.vertx.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.StatusException;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code grpc.health.v1.Health} Check and Watch as the health protocol says: Watch, the status now, then each change, until cancelled. */
@ExtendWith(VertxExtension.class)
class HealthAnswersTest {

  static final ServiceMethod<HealthCheckResponse, HealthCheckRequest> WATCH = ServiceMethod.client(
    ServiceName.create("grpc.health.v1.Health"), "Watch",
    GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(HealthCheckResponse.newBuilder()));
  static final ServiceMethod<HealthCheckResponse, HealthCheckRequest> CHECK = ServiceMethod.client(
    ServiceName.create("grpc.health.v1.Health"), "Check",
    GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(HealthCheckResponse.newBuilder()));
  static final long INTERVAL = 50;

  final AtomicBoolean up = new AtomicBoolean(true);
  final AtomicInteger looks = new AtomicInteger();
  Vertx vertx;
  HealthService health;
  GrpcClient client;
  SocketAddress server;

  @BeforeEach
  void serve(Vertx vertx) {
    this.vertx = vertx;
    health = HealthService.create(vertx);
    health.register("shop", () -> {
      looks.incrementAndGet();
      return Future.succeededFuture(up.get());
    });
    GrpcServer grpc = GrpcServer.server(vertx).addService(HealthAnswers.of(vertx, health, INTERVAL));
    HttpServer http = Await.result(vertx.createHttpServer().requestHandler(grpc).listen(0, "127.0.0.1"));
    server = SocketAddress.inetSocketAddress(http.actualPort(), "127.0.0.1");
    client = GrpcClient.client(vertx);
  }

  @Test
  void aWatcherHearsTheStatusOnceAndThenEachChange() {
    List<ServingStatus> heard = new CopyOnWriteArrayList<>();
    watch("shop", heard);
    Await.until("the status now", Duration.ofSeconds(5), () -> heard.size() == 1);

    pause(INTERVAL * 6);
    // Vert.x 5.0.7 wrote SERVING again every 2.5 s (here, every interval).
    assertThat(heard).as("nothing changed, nothing more said").containsExactly(ServingStatus.SERVING);

    up.set(false);
    Await.until("the change", Duration.ofSeconds(5), () -> heard.size() == 2);
    up.set(true);
    Await.until("the change back", Duration.ofSeconds(5), () -> heard.size() == 3);
    assertThat(heard).containsExactly(ServingStatus.SERVING, ServingStatus.NOT_SERVING, ServingStatus.SERVING);
  }

  @Test
  void aNameWithNoCheckIsUnknownAndTheEmptyNameIsTheServer() {
    List<ServingStatus> unknown = new CopyOnWriteArrayList<>();
    List<ServingStatus> server = new CopyOnWriteArrayList<>();
    watch("nope", unknown);
    watch("", server);
    Await.until("both answered", Duration.ofSeconds(5), () -> unknown.size() == 1 && server.size() == 1);
    assertThat(unknown).containsExactly(ServingStatus.SERVICE_UNKNOWN);
    assertThat(server).containsExactly(ServingStatus.SERVING);
  }

  /** Vert.x answered NOT_FOUND with no message. */
  @Test
  void aCheckOfAnUnknownServiceIsNotFoundNamingIt() {
    Throwable unknown = Await.failure(client.request(server, CHECK)
      .compose(call -> call.send(HealthCheckRequest.newBuilder().setService("nope").build()))
      .compose(resp -> resp.last().recover(e -> Future.failedFuture(new StatusException(resp.status(), resp.statusMessage())))));
    assertThat(unknown).isInstanceOfSatisfying(StatusException.class, status -> {
      assertThat(status.status()).isEqualTo(GrpcStatus.NOT_FOUND);
      assertThat(status.message()).isEqualTo("no service 'nope' is known to this server's health");
    });
    assertThat(Await.result(client.request(server, CHECK)
      .compose(call -> call.send(HealthCheckRequest.newBuilder().setService("shop").build()))
      .compose(resp -> resp.last())).getStatus()).isEqualTo(ServingStatus.SERVING);
  }

  /** A probe that gave up (its timeout, on a cold JVM) before the answer: Vert.x logged the late write as an ERROR. */
  @Test
  void aCheckWhoseCallerLeftIsNotAnswered() {
    try (LogCapture errors = new LogCapture("", Level.SEVERE)) {
      Promise<Boolean> slow = Promise.promise();
      AtomicBoolean asked = new AtomicBoolean();
      health.register("slow", () -> {
        asked.set(true);
        return slow.future();
      });
      GrpcClientRequest<HealthCheckRequest, HealthCheckResponse> call = Await.result(client.request(server, CHECK));
      call.end(HealthCheckRequest.newBuilder().setService("slow").build());
      // Cancelled once the server is at work on it, not before the check began.
      Await.until("the check asked", Duration.ofSeconds(5), asked::get);
      call.cancel();
      pause(INTERVAL);
      slow.complete(true);
      pause(INTERVAL * 2);
      assertThat(errors.records()).isEmpty();
    }
  }

  @Test
  void aCancelledWatchStopsLooking() {
    GrpcClientRequest<HealthCheckRequest, HealthCheckResponse> call = watch("shop", new CopyOnWriteArrayList<>());
    Await.until("looking", Duration.ofSeconds(5), () -> looks.get() >= 2);
    call.cancel();
    // Vert.x's Watch looked on for good: never still for six intervals.
    Await.until("no look for six intervals", Duration.ofSeconds(5), () -> {
      int before = looks.get();
      pause(INTERVAL * 6);
      return looks.get() == before;
    });
  }

  private GrpcClientRequest<HealthCheckRequest, HealthCheckResponse> watch(String service, List<ServingStatus> heard) {
    GrpcClientRequest<HealthCheckRequest, HealthCheckResponse> call = Await.result(client.request(server, WATCH));
    // The handler set where the answer's headers arrive, before its first message can.
    call.response().onSuccess(response -> response.handler(status -> heard.add(status.getStatus())));
    call.end(HealthCheckRequest.newBuilder().setService(service).build());
    return call;
  }

  private void pause(long millis) {
    Promise<Void> passed = Promise.promise();
    vertx.setTimer(millis, t -> passed.complete());
    Await.result(passed.future());
  }
}
