package dev.shopmesh.platform.lb;

import dev.shopmesh.platform.discovery.Replica;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.endpoint.DefaultInteractionMetric;
import io.vertx.core.net.endpoint.DefaultInteractionMetrics;

/**
 * Vert.x's per-server interaction metrics (which the least-requests and power-of-two strategies
 * read), extended to feed our per-replica counters and outlier detection. Vert.x creates one per
 * server before it knows the server; {@link MeteredLoadBalancer} binds it to its address. Each call
 * takes its replica's counters when it starts, and keeps them to its end: counters of a replica
 * that left are dropped ({@link ClientStats#retain}), and one back at the same address gets new ones.
 */
final class ReplicaMetrics extends DefaultInteractionMetrics {

  private final ClientStats stats;
  private final Outliers outliers;
  private volatile String hostPort;

  ReplicaMetrics(ClientStats stats, Outliers outliers) {
    this.stats = stats;
    this.outliers = outliers;
  }

  void bind(SocketAddress address) {
    if (hostPort == null) {
      hostPort = Replica.hostPort(address.host(), address.port());
    }
  }

  @Override
  public DefaultInteractionMetric initiateRequest() {
    ReplicaCounters counters = hostPort == null ? null : stats.of(hostPort);
    if (counters != null) {
      counters.calls.increment();
      counters.inFlight.incrementAndGet();
    }
    super.initiateRequest();
    return new TimedMetric(counters);
  }

  @Override
  public void reportFailure(DefaultInteractionMetric metric, Throwable failure) {
    TimedMetric timed = (TimedMetric) metric;
    super.reportFailure(metric, failure);
    if (!timed.failed && timed.counters != null) {
      timed.failed = true;
      timed.counters.inFlight.decrementAndGet();
      timed.counters.errors.increment();
      outliers.failed(hostPort, failure);
    }
  }

  @Override
  public void reportResponseEnd(DefaultInteractionMetric metric) {
    super.reportResponseEnd(metric);
    TimedMetric timed = (TimedMetric) metric;
    if (!timed.failed && timed.counters != null) {
      timed.counters.inFlight.decrementAndGet();
      timed.counters.latency((System.nanoTime() - timed.startNanos) / 1_000);
    }
  }

  /** Vert.x's metric with a monotonic start time (its own are wall-clock milliseconds), and the counters it counts in. */
  private static final class TimedMetric extends DefaultInteractionMetric {
    final long startNanos = System.nanoTime();
    final ReplicaCounters counters;
    boolean failed;

    TimedMetric(ReplicaCounters counters) {
      this.counters = counters;
    }
  }
}
