package dev.shopmesh.gateway.http;

import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.discovery.Discovery;
import dev.shopmesh.platform.discovery.Registration;
import dev.shopmesh.platform.discovery.ReplicaCache;
import dev.shopmesh.platform.rpc.LbSettings;
import dev.shopmesh.platform.rpc.MeshClient;
import dev.shopmesh.platform.rpc.RpcSettings;
import dev.shopmesh.platform.testing.Await;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/mesh}'s calls and errors only grow while the gateway runs. They are summed over
 * what each caller reports, and a restarted caller registers anew with its counters at zero: the
 * totals went down, and {@code status --watch} and the mesh page, which count the calls between two
 * answers, showed a replica taking no calls while orders flowed through it.
 */
@ExtendWith(VertxExtension.class)
class MeshViewTest {

  /** A catalog replica's address that nothing listens on: its health reads "no", which is not what this is about. */
  static final String CATALOG = "127.0.0.1:1";

  Vertx vertx;
  Discovery discovery;
  ReplicaCache replicas;
  MeshView view;

  /** The gateway's view, a catalog replica, and an order-service replica that has made 100 calls to it, 2 failed. */
  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    discovery = new Discovery(vertx, Config.of(Map.of()));
    replicas = new ReplicaCache(vertx, discovery, 60_000);
    MeshClient client = new MeshClient(vertx, RpcSettings.from(Config.of(Map.of())), LbSettings.from(Config.of(Map.of())), replicas);
    view = new MeshView(vertx, client, replicas, List.of(), replica -> false);
    Await.result(discovery.register("catalog-service", "127.0.0.1", 1, JsonObject::new, JsonObject::new));
  }

  @Test
  void aCallersRestartKeepsTheCallsItHadReported() {
    Registration first = Await.result(discovery.register("order-service", "127.0.0.1", 2, () -> calls(100, 2), JsonObject::new));
    Await.result(replicas.refresh());
    assertThat(catalogRow()).containsEntry("calls", 100L).containsEntry("errors", 2L);

    restart(first);

    assertThat(catalogRow()).containsEntry("calls", 130L).containsEntry("errors", 2L);
  }

  /** A Prometheus server reads every 15 s or so: a caller that came and went between two reads still counts. */
  @Test
  void aCallerThatCameAndWentBetweenTwoAnswersStillCounts() {
    Registration first = Await.result(discovery.register("order-service", "127.0.0.1", 2, () -> calls(100, 2), JsonObject::new));
    Await.result(replicas.refresh());
    // No answer asked for while it is there; the view reads the reports on its own meanwhile.
    Promise<Void> aWhile = Promise.promise();
    vertx.setTimer(MeshView.COUNT_EVERY_MILLIS * 3 / 2, id -> aWhile.complete());
    Await.result(aWhile.future());

    restart(first);

    assertThat(catalogRow()).containsEntry("calls", 130L).containsEntry("errors", 2L);
  }

  /** order-service restarted: the old replica withdrew, the new one has made 30 calls so far. */
  void restart(Registration old) {
    Await.result(old.withdraw());
    Await.result(discovery.register("order-service", "127.0.0.1", 3, () -> calls(30, 0), JsonObject::new));
    Await.result(replicas.refresh());
  }

  /** What an order-service replica's clients report of the catalog replica. */
  static JsonObject calls(long calls, long errors) {
    return new JsonObject().put("catalog-service", new JsonObject().put(CATALOG,
      new JsonObject().put("calls", calls).put("errors", errors).put("inFlight", 0).put("p99Ms", 1.0)));
  }

  Map<String, Object> catalogRow() {
    JsonObject mesh = Await.result(view.snapshot());
    return mesh.getJsonArray("services").stream().map(JsonObject.class::cast)
      .filter(s -> s.getString("name").equals("catalog-service"))
      .map(s -> s.getJsonArray("replicas").getJsonObject(0).getMap()).findFirst().orElseThrow();
  }
}
