package dev.shopmesh.platform.lb;

import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** What one caller saw of one replica: calls, errors, calls in flight, and recent latencies. */
final class ReplicaCounters {

  /** Latency percentiles are over the most recent calls, so they follow changes in load. */
  static final int WINDOW = 1024;

  final LongAdder calls = new LongAdder();
  final LongAdder errors = new LongAdder();
  final AtomicInteger inFlight = new AtomicInteger();
  private final long[] latencyMicros = new long[WINDOW];
  private int next;
  private int filled;

  synchronized void latency(long micros) {
    latencyMicros[next] = micros;
    next = (next + 1) % WINDOW;
    filled = Math.min(filled + 1, WINDOW);
  }

  synchronized double p99Millis() {
    if (filled == 0) {
      return 0;
    }
    long[] sorted = Arrays.copyOf(latencyMicros, filled);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(0.99 * filled) - 1;
    return sorted[rank] / 1000.0;
  }

  JsonObject toJson() {
    return new JsonObject().put("calls", calls.sum()).put("errors", errors.sum())
      .put("inFlight", inFlight.get()).put("p99Ms", Math.round(p99Millis() * 10) / 10.0);
  }
}
