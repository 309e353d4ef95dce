package dev.shopmesh.platform.metrics;

import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * What a server answered, for Prometheus: a counter of calls by what was called and how it ended,
 * and a latency histogram by what was called. Each kind of call is a series kept for good, so
 * kinds come from a bounded set (a route, a served method, never a path as the client wrote it).
 * Safe to record from several event loops at once.
 */
public final class ServedCalls {

  /** The two metric families: {@code <prefix>s_total} and {@code <prefix>_duration_seconds}, and what they count. */
  public record Names(String prefix, String what, Function<String, String> labels) {
  }

  private final Names names;
  private final ConcurrentMap<String, Kind> kinds = new ConcurrentHashMap<>();

  private record Kind(String labels, ConcurrentMap<String, LongAdder> outcomes, LatencyHistogram latency) {
  }

  /**
   * @param names the families' prefix ({@code shopmesh_grpc_server_call}), what a call is in their
   *              help text, and the labels (without braces, values escaped) that name a kind
   */
  public ServedCalls(Names names) {
    this.names = names;
  }

  /** One call of {@code kind} that ended as {@code outcome} (a status code) after {@code nanos}. */
  public void record(String kind, String outcome, long nanos) {
    Kind k = kinds.computeIfAbsent(kind, key -> new Kind(names.labels().apply(key), new ConcurrentHashMap<>(), new LatencyHistogram()));
    k.outcomes().computeIfAbsent(outcome, o -> new LongAdder()).increment();
    k.latency().record(nanos);
  }

  /**
   * What a replica publishes with its heartbeat: each kind's count by outcome, {@code {"calls":
   * {kind: {outcome: count}}}}, and its latency, {@code {"latency": {kind: {"buckets": [...], "sum":
   * seconds}}}}, the buckets cumulative, as {@link #writeHistogram} reads them.
   */
  public JsonObject toJson() {
    JsonObject calls = new JsonObject();
    JsonObject latency = new JsonObject();
    new TreeMap<>(kinds).forEach((kind, k) -> {
      JsonObject outcomes = new JsonObject();
      new TreeMap<>(k.outcomes()).forEach((code, n) -> outcomes.put(code, n.sum()));
      calls.put(kind, outcomes);
      latency.put(kind, k.latency().toJson());
    });
    return new JsonObject().put("calls", calls).put("latency", latency);
  }

  /**
   * A histogram from {@link #toJson}'s {@code latency}, in Prometheus' text format: the
   * {@code _bucket}, {@code _sum} and {@code _count} lines of {@code name}, {@code labels} in each.
   */
  public static void writeHistogram(StringBuilder out, String name, String labels, JsonObject histogram) {
    LatencyHistogram.writeTo(out, name, labels, histogram);
  }

  /** The two families in Prometheus' text format, series in a stable order. */
  public void writeTo(StringBuilder out) {
    Map<String, Kind> sorted = new TreeMap<>(kinds);
    String total = names.prefix() + "s_total";
    Prometheus.head(out, total, "counter", names.what() + ", and how each ended (code).");
    sorted.values().forEach(k -> new TreeMap<>(k.outcomes()).forEach((code, n) -> out.append(total).append('{').append(k.labels())
      .append(",code=\"").append(Prometheus.label(code)).append("\"} ").append(n.sum()).append('\n')));
    String duration = names.prefix() + "_duration_seconds";
    Prometheus.head(out, duration, "histogram", "Seconds from the request to the end of the answer: " + names.what() + ".");
    sorted.values().forEach(k -> LatencyHistogram.writeTo(out, duration, k.labels(), k.latency().toJson()));
  }
}
