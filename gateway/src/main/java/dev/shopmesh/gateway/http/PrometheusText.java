package dev.shopmesh.gateway.http;

import dev.shopmesh.platform.metrics.Prometheus;
import dev.shopmesh.platform.metrics.ServedCalls;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * The mesh's part of {@code GET /metrics}: the replicas as {@code GET /api/mesh} reports them, in Prometheus' text format
 * (0.0.4), for a Prometheus server to scrape from the gateway alone: every replica's figures come
 * from its callers' load balancers, which the gateway already gathers. One series per replica,
 * labelled with its service and address. The call and error counts are counters: they only go down
 * when the gateway restarts, not when one of the callers does ({@link CallTotals}).
 */
final class PrometheusText {

  /** A metric family read from each replica's row of {@code /api/mesh}. */
  private record Family(String name, String type, String help, String field, double per) {
  }

  private static final List<Family> PER_REPLICA = List.of(
    new Family("shopmesh_replica_healthy", "gauge", "1 when the replica answered its health check SERVING just now, else 0.", "healthy", 1),
    new Family("shopmesh_replica_calls_total", "counter", "Calls made to the replica, summed over its callers.", "calls", 1),
    new Family("shopmesh_replica_errors_total", "counter",
      "Calls to the replica that got no answer from it (connection refused or lost, stream reset), summed over its callers.", "errors", 1),
    new Family("shopmesh_replica_in_flight", "gauge", "Calls to the replica in flight, summed over its callers.", "inFlight", 1),
    new Family("shopmesh_replica_latency_p99_seconds", "gauge",
      "99th percentile latency of a caller's last 1024 calls to the replica, the worst of its callers'.", "p99Ms", 1000));

  private PrometheusText() {
  }

  static String of(JsonObject mesh) {
    StringBuilder out = new StringBuilder();
    JsonArray services = mesh.getJsonArray("services", new JsonArray());
    Prometheus.head(out, "shopmesh_replicas", "gauge", "Replicas registered, by service (0 for a service the gateway needs and has none of).");
    services.stream().map(JsonObject.class::cast).forEach(s -> out.append("shopmesh_replicas{service=\"")
      .append(Prometheus.label(s.getString("name", ""))).append("\"} ").append(s.getJsonArray("replicas", new JsonArray()).size()).append('\n'));
    for (Family family : PER_REPLICA) {
      Prometheus.head(out, family.name(), family.type(), family.help());
      eachReplica(services, (labels, r) -> out.append(family.name()).append('{').append(labels).append("} ")
        .append(value(r.getValue(family.field()), family.per())).append('\n'));
    }
    Prometheus.head(out, SERVED, "counter", "gRPC calls the replica's server answered, by method and status (code), as of its last heartbeat.");
    eachReplica(services, (labels, r) -> r.getJsonObject("served", new JsonObject()).forEach(method ->
      ((JsonObject) method.getValue()).forEach(code -> out.append(SERVED).append('{').append(labels).append(",method=\"")
        .append(Prometheus.label(method.getKey())).append("\",code=\"").append(Prometheus.label(code.getKey())).append("\"} ")
        .append(value(code.getValue(), 1)).append('\n'))));
    Prometheus.head(out, LATENCY, "histogram", "Seconds the replica's server took to answer gRPC calls, by method, as of its last heartbeat.");
    eachReplica(services, (labels, r) -> r.getJsonObject("latency", new JsonObject()).forEach(method ->
      ServedCalls.writeHistogram(out, LATENCY, labels + ",method=\"" + Prometheus.label(method.getKey()) + "\"", (JsonObject) method.getValue())));
    return out.toString();
  }

  private static final String SERVED = "shopmesh_replica_grpc_server_calls_total";
  private static final String LATENCY = "shopmesh_replica_grpc_server_call_duration_seconds";

  /** {@code action} on each replica's row, with its labels: {@code service="…",replica="…"} (its address). */
  private static void eachReplica(JsonArray services, BiConsumer<String, JsonObject> action) {
    services.stream().map(JsonObject.class::cast).forEach(s -> s.getJsonArray("replicas", new JsonArray()).stream()
      .map(JsonObject.class::cast).forEach(r -> action.accept("service=\"" + Prometheus.label(s.getString("name", ""))
        + "\",replica=\"" + Prometheus.label(r.getString("address", "")) + "\"", r)));
  }

  /** {@code v} divided by {@code per} (milliseconds to seconds), a count as a whole number. */
  private static String value(Object v, double per) {
    if (v instanceof Boolean b) {
      return b ? "1" : "0";
    }
    if (!(v instanceof Number n)) {
      return "0";
    }
    if (per == 1 && (v instanceof Long || v instanceof Integer)) {
      return Long.toString(n.longValue());
    }
    return Double.toString(n.doubleValue() / per);
  }
}
