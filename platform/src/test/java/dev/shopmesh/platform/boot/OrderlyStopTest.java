package dev.shopmesh.platform.boot;

import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.discovery.Discovery;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.TestConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.health.v1.HealthCheckResponse;
import io.vertx.grpc.server.Service;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stopping replica is withdrawn from discovery before it drains its calls, so that callers stop
 * choosing it, on one event loop or several.
 */
@ExtendWith(VertxExtension.class)
class OrderlyStopTest {

  static final ServiceMethod<HealthCheckResponse, HealthCheckRequest> WATCH = ServiceMethod.client(
    ServiceName.create("grpc.health.v1.Health"), "Watch", GrpcMessageEncoder.encoder(),
    GrpcMessageDecoder.decoder(HealthCheckResponse.newBuilder()));

  /** Serves only what every mesh server does: health, reflection; on one event loop, as a backend. */
  static class BareService extends MeshVerticle {

    BareService(Config config) {
      super("bare-service", config);
    }

    @Override
    protected Future<List<Service>> setUp(MeshContext context) {
      return Future.succeededFuture(List.of());
    }
  }

  /** Runs work on its database that no call waits for, as order-service's sagas may. */
  static class WorkingService extends MeshVerticle {

    WorkingService(Config config) {
      super("working-service", config);
    }

    @Override
    protected Future<List<Service>> setUp(MeshContext context) {
      return database().migrate(List.of("CREATE TABLE IF NOT EXISTS work (id INTEGER PRIMARY KEY)")).map(v -> List.of());
    }

    Future<Boolean> workOnTheDatabaseIn(long millis) {
      return inFlight().track(vertx.timer(millis).compose(v -> database().reachable()));
    }
  }

  /**
   * A rolling restart under 100 orders/s: order-service's drain ended with sagas still running, its
   * database was closed under them ("Pool closed"), and their orders stayed PENDING until the sweep
   * rejected them as interrupted.
   */
  @Test
  void aStoppingReplicaFinishesItsWorkBeforeItClosesItsDatabase(Vertx vertx, @TempDir Path dir) {
    WorkingService service = new WorkingService(TestConfig.in(dir));
    Launcher.Running running = Await.result(Launcher.start(vertx, List.of(service)));
    Future<Boolean> work = service.workOnTheDatabaseIn(300);

    Await.result(running.close());

    // Vert.x is closed by now: the outcome is read as it is, not awaited.
    assertThat(work.isComplete()).as("the work ended before the replica stopped").isTrue();
    assertThat(work.cause()).as("the work's failure").isNull();
    assertThat(work.result()).as("its statement answered").isTrue();
  }

  /** A step of the stop that fails is logged and the next ones still run: the database is closed. */
  @Test
  void aFailedTearDownStillClosesTheDatabase(Vertx vertx, @TempDir Path dir) {
    WorkingService service = new WorkingService(TestConfig.in(dir)) {
      @Override
      protected Future<Void> tearDown() {
        return Future.failedFuture("its cache would not flush");
      }
    };
    String deployment = Await.result(vertx.deployVerticle(service));
    assertThat(Await.result(service.database().reachable())).as("open while it serves").isTrue();

    Await.result(vertx.undeploy(deployment));

    assertThat(Await.result(service.database().reachable())).as("its database answers once stopped").isFalse();
  }

  /**
   * On several event loops the servers are child verticles, which Vert.x undeploys before the
   * service's own stop: they drained while the replica stayed registered, for the whole grace.
   */
  @Test
  void aReplicaOnSeveralEventLoopsIsWithdrawnBeforeItDrains(Vertx vertx) {
    BareService service = new BareService(Config.of(Map.of("SHOPMESH_SHUTDOWN_GRACE_MS", "10000"))) {
      @Override
      protected int eventLoops() {
        return 2;
      }
    };
    Launcher.Running running = Await.result(Launcher.start(vertx, List.of(service)));
    Discovery view = new Discovery(vertx, Config.of(Map.of()));
    assertThat(Await.result(view.replicas())).extracting(r -> r.service()).containsExactly("bare-service");
    // A call in flight for the whole drain: a health Watch stays open until its caller ends it.
    GrpcClient client = GrpcClient.client(vertx);
    GrpcClientResponse<HealthCheckRequest, HealthCheckResponse> watching = Await.result(client
      .request(SocketAddress.inetSocketAddress(service.grpcPort(), "127.0.0.1"), WATCH)
      .compose(req -> req.end(HealthCheckRequest.getDefaultInstance()).compose(v -> req.response())));
    watching.handler(status -> { });

    long start = System.nanoTime();
    Future<Void> closed = running.close();
    Await.until("withdrawn from discovery", Duration.ofSeconds(5), () -> Await.result(view.replicas()).isEmpty());
    assertThat((System.nanoTime() - start) / 1_000_000).as("ms until withdrawn, the drain lasting 10 s").isLessThan(5_000);
    assertThat(closed.isComplete()).as("still draining").isFalse();
  }
}
