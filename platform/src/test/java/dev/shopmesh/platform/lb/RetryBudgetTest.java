package dev.shopmesh.platform.lb;

import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.discovery.Discovery;
import dev.shopmesh.platform.discovery.ReplicaCache;
import dev.shopmesh.platform.rpc.LbSettings;
import dev.shopmesh.platform.rpc.MeshClient;
import dev.shopmesh.platform.rpc.RpcSettings;
import dev.shopmesh.platform.testing.Await;
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

  /** 300 calls that may be retried, to a replica that drops every connection: at most 100 banked retries and 60 earned. */
  @Test
  void aReplicaFailingEveryCallGetsItsRetriesWithinTheBudget(Vertx vertx) {
    AtomicInteger reached = new AtomicInteger();
    GrpcServer dropping = GrpcServer.server(vertx).callHandler(request -> {
      reached.incrementAndGet();
      request.connection().close();
    });
    HttpServer server = Await.result(vertx.createHttpServer().requestHandler(dropping).listen(0, "127.0.0.1"));
    Discovery discovery = new Discovery(vertx, Config.of(Map.of()));
    ReplicaCache replicas = new ReplicaCache(vertx, discovery, 60_000);
    Await.result(discovery.register("failing-service", "127.0.0.1", server.actualPort(), JsonObject::new, JsonObject::new));
    Await.result(replicas.refresh());
    // Neither its circuit (which would stop the calls) nor health checks (which would reach it too) in the way.
    MeshClient client = new MeshClient(vertx, RpcSettings.from(Config.of(Map.of())), LbSettings.from(Config.of(Map.of(
      "SHOPMESH_CIRCUIT_FAILURES", "100000", "SHOPMESH_HEALTH_PROBE_MS", "600000"))), replicas);

    // One at a time: the replica drops a connection with every call on it.
    for (int i = 0; i < 300; i++) {
      Await.failure(client.idempotent("failing-service", HealthProbe.CHECK, HealthCheckRequest.getDefaultInstance()));
    }

    assertThat(reached.get()).as("calls the replica got for 300 made").isBetween(300, 300 + 100 + 60);
    Await.result(client.close());
  }
}
