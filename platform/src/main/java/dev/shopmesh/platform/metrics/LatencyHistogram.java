package dev.shopmesh.platform.metrics;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Durations counted into fixed buckets, for a Prometheus histogram: recorded from several event
 * loops at once without a lock, and summed only when read.
 */
final class LatencyHistogram {

  /**
   * Upper bounds in seconds: Prometheus' client libraries' defaults (5 ms to 10 s) with 1 ms and
   * 2.5 ms below them, since most calls a mesh answers take less than 5 ms.
   */
  static final double[] BOUNDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  private static final long[] BOUNDS_NANOS = new long[BOUNDS.length];

  static {
    for (int i = 0; i < BOUNDS.length; i++) {
      BOUNDS_NANOS[i] = (long) (BOUNDS[i] * TimeUnit.SECONDS.toNanos(1));
    }
  }

  /** Per bucket, not cumulative: the last one for what took longer than every bound. */
  private final LongAdder[] buckets = new LongAdder[BOUNDS.length + 1];
  private final LongAdder sumNanos = new LongAdder();

  LatencyHistogram() {
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = new LongAdder();
    }
  }

  void record(long nanos) {
    int i = 0;
    while (i < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[i]) {
      i++;
    }
    buckets[i].increment();
    sumNanos.add(nanos);
  }

  /**
   * {@code {"buckets": [...], "sum": seconds}}, the buckets cumulative as Prometheus counts them, one
   * per bound of {@link #BOUNDS} and the last for all: what a replica publishes with its heartbeat.
   */
  JsonObject toJson() {
    JsonArray cumulative = new JsonArray();
    long count = 0;
    for (LongAdder bucket : buckets) {
      count += bucket.sum();
      cumulative.add(count);
    }
    return new JsonObject().put("buckets", cumulative).put("sum", sumNanos.sum() / 1e9);
  }

  /**
   * The {@code _bucket}, {@code _sum} and {@code _count} lines of {@code name}, with {@code labels}
   * in each, from a histogram as {@link #toJson} gives it (a malformed one writes nothing).
   */
  static void writeTo(StringBuilder out, String name, String labels, JsonObject histogram) {
    JsonArray cumulative = histogram.getJsonArray("buckets", new JsonArray());
    if (cumulative.size() != BOUNDS.length + 1 || !(histogram.getValue("sum") instanceof Number sum)) {
      return;
    }
    for (int i = 0; i < cumulative.size(); i++) {
      out.append(name).append("_bucket{").append(labels).append(",le=\"")
        .append(i < BOUNDS.length ? Double.toString(BOUNDS[i]) : "+Inf").append("\"} ").append(cumulative.getValue(i)).append('\n');
    }
    out.append(name).append("_sum{").append(labels).append("} ").append(sum.doubleValue()).append('\n');
    out.append(name).append("_count{").append(labels).append("} ").append(cumulative.getValue(BOUNDS.length)).append('\n');
  }
}
