package dev.shopmesh.gateway.http;

import dev.shopmesh.platform.discovery.Replica;
import dev.shopmesh.platform.discovery.ReplicaCache;
import dev.shopmesh.platform.rpc.MeshClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code GET /api/mesh}: every registered replica of every service, with its health (checked now)
 * and what its callers' load balancers did with it. Each replica publishes its own clients'
 * counters with its discovery heartbeat, so the figures are summed over every caller and are at
 * most one heartbeat old; p99 is the worst of the callers' p99s. Calls and errors only grow while
 * the gateway runs: a caller's restart keeps what it had reported.
 */
final class MeshView {

  private final MeshClient client;
  private final ReplicaCache replicas;
  private final List<String> dependencies;
  /**
   * Calls and errors by callee host:port that callers gone since had reported: kept in the totals,
   * which otherwise went down at each restart of a caller, and were read as no calls at all by
   * {@code status --watch} and the mesh page, which count the calls between two answers. Lost when
   * the gateway restarts.
   */
  private final Map<String, long[]> departed = new HashMap<>();
  /** What each caller reported last, by callee host:port, then by caller id. */
  private Map<String, Map<String, long[]>> lastReported = new HashMap<>();

  MeshView(MeshClient client, ReplicaCache replicas, List<String> dependencies) {
    this.client = client;
    this.replicas = replicas;
    this.dependencies = dependencies;
  }

  Future<JsonObject> snapshot() {
    Map<String, List<Replica>> byService = new TreeMap<>(replicas.all());
    // A dependency with no replica is shown with none, not left out as if the mesh did not need it.
    dependencies.forEach(service -> byService.putIfAbsent(service, List.of()));
    Map<String, JsonObject> seen = callerCounters(byService);
    List<Future<JsonObject>> rows = new ArrayList<>();
    byService.values().forEach(list -> list.forEach(r -> rows.add(client.healthy(r).map(healthy -> row(r, healthy, seen)))));
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

  /**
   * host:port to the counters summed over every caller that reported on it, and over the callers
   * gone since ({@link #departed}).
   */
  private synchronized Map<String, JsonObject> callerCounters(Map<String, List<Replica>> byService) {
    Map<String, JsonObject> sums = new TreeMap<>();
    Map<String, Map<String, long[]>> reported = new HashMap<>();
    Set<String> callers = new HashSet<>();
    Set<String> registered = new HashSet<>();
    byService.values().forEach(list -> list.forEach(caller -> {
      callers.add(caller.id());
      registered.add(caller.hostPort());
      caller.clients().forEach(service -> ((JsonObject) service.getValue()).forEach(replica -> {
        JsonObject c = (JsonObject) replica.getValue();
        reported.computeIfAbsent(replica.getKey(), k -> new HashMap<>())
          .put(caller.id(), new long[] {c.getLong("calls", 0L), c.getLong("errors", 0L)});
        sums.merge(replica.getKey(), c.copy(), MeshView::sum);
      }));
    }));
    reconcile(reported, callers, registered, sums);
    departed.keySet().retainAll(registered);
    departed.forEach((hostPort, counts) -> sums.merge(hostPort, counts(counts), MeshView::sum));
    return sums;
  }

  /**
   * Compares what each caller reported with what it reported last: a caller gone (a restarted
   * replica registers anew, under another id), or one whose counters started again, leaves what it
   * had reported in {@link #departed}; one still registered but silent about a replica for now (its
   * view of the mesh differs from ours for a moment) still counts what it reported last.
   */
  private void reconcile(Map<String, Map<String, long[]>> reported, Set<String> callers, Set<String> registered,
                         Map<String, JsonObject> sums) {
    lastReported.forEach((hostPort, byCaller) -> byCaller.forEach((caller, last) -> {
      long[] now = reported.getOrDefault(hostPort, Map.of()).get(caller);
      if (!callers.contains(caller) || now != null && (now[0] < last[0] || now[1] < last[1])) {
        long[] gone = departed.computeIfAbsent(hostPort, k -> new long[2]);
        gone[0] += last[0];
        gone[1] += last[1];
      } else if (now == null && registered.contains(hostPort)) {
        reported.computeIfAbsent(hostPort, k -> new HashMap<>()).put(caller, last);
        sums.merge(hostPort, counts(last), MeshView::sum);
      }
    }));
    lastReported = reported;
  }

  private static JsonObject counts(long[] callsAndErrors) {
    return new JsonObject().put("calls", callsAndErrors[0]).put("errors", callsAndErrors[1]).put("inFlight", 0).put("p99Ms", 0.0);
  }

  private static JsonObject sum(JsonObject a, JsonObject b) {
    return new JsonObject()
      .put("calls", a.getLong("calls", 0L) + b.getLong("calls", 0L))
      .put("errors", a.getLong("errors", 0L) + b.getLong("errors", 0L))
      .put("inFlight", a.getInteger("inFlight", 0) + b.getInteger("inFlight", 0))
      .put("p99Ms", Math.max(a.getDouble("p99Ms", 0.0), b.getDouble("p99Ms", 0.0)));
  }

  private static JsonObject row(Replica r, boolean healthy, Map<String, JsonObject> seen) {
    JsonObject c = seen.getOrDefault(r.hostPort(), new JsonObject());
    return new JsonObject().put("id", r.id()).put("address", r.hostPort()).put("healthy", healthy)
      .put("calls", c.getLong("calls", 0L)).put("errors", c.getLong("errors", 0L))
      .put("inFlight", c.getInteger("inFlight", 0)).put("p99Ms", c.getDouble("p99Ms", 0.0));
  }
}
