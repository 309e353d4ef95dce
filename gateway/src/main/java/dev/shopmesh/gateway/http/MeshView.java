package dev.shopmesh.gateway.http;

import dev.shopmesh.platform.discovery.Replica;
import dev.shopmesh.platform.discovery.ReplicaCache;
import dev.shopmesh.platform.rpc.MeshClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /api/mesh}: every registered replica of every service, with its health (checked now)
 * and what its callers' load balancers did with it. Each replica publishes its own clients'
 * counters with its discovery heartbeat, so the figures are summed over every caller and are at
 * most one heartbeat old; p99 is the worst of the callers' p99s. {@code served} is what the replica
 * says its own server answered, by method and status, as of its last heartbeat, and {@code latency}
 * how long those answers took, by method (histograms, as {@code ServedCalls} publishes them). Calls and errors only grow while
 * the gateway runs: a caller that restarts keeps what it had reported ({@link CallTotals}).
 */
final class MeshView {

  private final MeshClient client;
  private final Predicate<Replica> self;
  private final ReplicaCache replicas;
  private final List<String> dependencies;
  private final CallTotals totals = new CallTotals();

  /** How often the callers' reports are read between two answers: as often as callers report. */
  static final long COUNT_EVERY_MILLIS = 1_000;

  /**
   * @param self whether a replica is this gateway: healthy as it answers this very request. Checked
   *             over its own port, it would only add a round trip, and, serving TLS, a first handshake
   *             that a busy machine can stretch past the check's timeout (NO, and status exiting 1)
   */
  MeshView(Vertx vertx, MeshClient client, ReplicaCache replicas, List<String> dependencies, Predicate<Replica> self) {
    this.self = self;
    this.client = client;
    this.replicas = replicas;
    this.dependencies = dependencies;
    // Between answers too: a caller that left between two scrapes 15 s apart would have taken the
    // calls it made since the first out of the totals.
    vertx.setPeriodic(COUNT_EVERY_MILLIS, id -> count());
  }

  /** Every replica's calls and errors, {calls, errors} by host:port, counted now. */
  private Map<String, long[]> count() {
    return totals.totals(replicas.all().values().stream().flatMap(List::stream).toList(), System.currentTimeMillis());
  }

  Future<JsonObject> snapshot() {
    Map<String, List<Replica>> byService = new TreeMap<>(replicas.all());
    // A dependency with no replica is shown with none, not left out as if the mesh did not need it.
    dependencies.forEach(service -> byService.putIfAbsent(service, List.of()));
    Map<String, JsonObject> seen = callerCounters(byService);
    Map<String, long[]> counted = count();
    List<Future<JsonObject>> rows = new ArrayList<>();
    byService.values().forEach(list -> list.forEach(r -> rows.add((self.test(r) ? Future.succeededFuture(true) : client.healthy(r))
      .map(healthy -> row(r, healthy, seen, counted)))));
    return Future.all(rows).map(done -> {
      JsonArray services = new JsonArray();
      int i = 0;
      for (Map.Entry<String, List<Replica>> service : byService.entrySet()) {
        JsonArray list = new JsonArray();
        for (int k = 0; k < service.getValue().size(); k++) {
          list.add(rows.get(i++).result());
        }
        services.add(new JsonObject().put("name", service.getKey()).put("replicas", list));
      }
      return new JsonObject().put("strategy", client.strategy()).put("services", services);
    });
  }

  /** host:port to the calls in flight and the worst p99 of every caller that reports on it now. */
  private static Map<String, JsonObject> callerCounters(Map<String, List<Replica>> byService) {
    Map<String, JsonObject> sums = new TreeMap<>();
    byService.values().forEach(list -> list.forEach(caller -> caller.clients().forEach(service ->
      ((JsonObject) service.getValue()).forEach(replica -> {
        JsonObject c = (JsonObject) replica.getValue();
        sums.merge(replica.getKey(), c.copy(), (a, b) -> new JsonObject()
          .put("inFlight", a.getInteger("inFlight") + b.getInteger("inFlight"))
          .put("p99Ms", Math.max(a.getDouble("p99Ms"), b.getDouble("p99Ms"))));
      }))));
    return sums;
  }

  private static JsonObject row(Replica r, boolean healthy, Map<String, JsonObject> seen, Map<String, long[]> counted) {
    JsonObject c = seen.getOrDefault(r.hostPort(), new JsonObject());
    long[] callsAndErrors = counted.getOrDefault(r.hostPort(), new long[2]);
    return new JsonObject().put("id", r.id()).put("address", r.hostPort()).put("healthy", healthy)
      .put("calls", callsAndErrors[0]).put("errors", callsAndErrors[1])
      .put("inFlight", c.getInteger("inFlight", 0)).put("p99Ms", c.getDouble("p99Ms", 0.0)).put("served", r.served().getJsonObject("calls", new JsonObject()))
      .put("latency", r.served().getJsonObject("latency", new JsonObject()));
  }
}
