package dev.shopmesh.platform.lb;

import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.discovery.Discovery;
import dev.shopmesh.platform.discovery.ReplicaCache;
import dev.shopmesh.platform.rpc.LbSettings;
import dev.shopmesh.platform.rpc.MeshClient;
import dev.shopmesh.platform.rpc.RpcSettings;
import dev.shopmesh.platform.testing.Await;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retries stay within their budget: a dependency that fails every call gets about 20 % more calls
 * than its callers make, not three times as many (the most attempts a call may take).
 */
@ExtendWith(VertxExtension.class)
class RetryBudgetTest {

  /** Calls the replica of failing-service got; it drops the connection of each. */
  final AtomicInteger reached = new AtomicInteger();

  @Test
  void eachFirstAttemptEarnsAFifthOfARetry() {
    RetryBudget budget = new RetryBudget(0.2, 2);
    assertThat(budget.tryRetry()).isTrue();
    assertThat(budget.tryRetry()).isTrue();
    assertThat(budget.tryRetry()).as("the two banked spent").isFalse();
    for (int i = 0; i < 4; i++) {
      budget.attempted();
    }
    assertThat(budget.tryRetry()).as("after four first attempts").isFalse();
    budget.attempted();
    assertThat(budget.tryRetry()).as("after five").isTrue();
  }

  /**
   * Streams and reads to a service with no replica registered fail at their first attempt, without
   * retries another attempt would not change: 150 of them spent the budget, and the next call to a
   * replica dropping its connection was not tried again.
   */
  @Test
  void callsToAServiceWithNoReplicaSpendNoRetries(Vertx vertx) {
    MeshClient client = clientOfADroppingReplica(vertx);

    for (int i = 0; i < 75; i++) {
      assertThat(Await.failure(client.stream("ghost-service", HealthProbe.CHECK))).hasMessageContaining("no replica of ghost-service");
      assertThat(Await.failure(client.read("ghost-service", HealthProbe.CHECK, HealthCheckRequest.getDefaultInstance(), 1_000,
        Promise.promise().future(), stream -> { }))).hasMessageContaining("no replica of ghost-service");
    }
    Await.failure(client.idempotent("failing-service", HealthProbe.CHECK, HealthCheckRequest.getDefaultInstance()));

    assertThat(reached.get()).as("attempts of one idempotent call, three at most").isEqualTo(3);
    Await.result(client.close());
  }

  /** 300 calls that may be retried, to a replica that drops every connection: at most 100 banked retries and 60 earned. */
  @Test
  void aReplicaFailingEveryCallGetsItsRetriesWithinTheBudget(Vertx vertx) {
    MeshClient client = clientOfADroppingReplica(vertx);

    // One at a time: the replica drops a connection with every call on it.
    for (int i = 0; i < 300; i++) {
      Await.failure(client.idempotent("failing-service", HealthProbe.CHECK, HealthCheckRequest.getDefaultInstance()));
    }

    assertThat(reached.get()).as("calls the replica got for 300 made").isBetween(300, 300 + 100 + 60);
    Await.result(client.close());
  }

  /**
   * A client of failing-service, whose one replica drops every connection it is sent a call on;
   * neither its circuit (which would stop the calls) nor health checks (which would reach it too) in the way.
   */
  MeshClient clientOfADroppingReplica(Vertx vertx) {
    GrpcServer dropping = GrpcServer.server(vertx).callHandler(request -> {
      reached.incrementAndGet();
      request.connection().close();
    });
    HttpServer server = Await.result(vertx.createHttpServer().requestHandler(dropping).listen(0, "127.0.0.1"));
    Discovery discovery = new Discovery(vertx, Config.of(Map.of()));
    ReplicaCache replicas = new ReplicaCache(vertx, discovery, 60_000);
    Await.result(discovery.register("failing-service", "127.0.0.1", server.actualPort(), JsonObject::new, JsonObject::new));
    Await.result(replicas.refresh());
    return new MeshClient(vertx, RpcSettings.from(Config.of(Map.of())), LbSettings.from(Config.of(Map.of(
      "SHOPMESH_CIRCUIT_FAILURES", "100000", "SHOPMESH_HEALTH_PROBE_MS", "600000"))), replicas);
  }
}
