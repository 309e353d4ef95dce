package dev.shopmesh.bench.report;

import dev.shopmesh.bench.load.Scenario;

/**
 * A {@link dev.shopmesh.bench.plan.Comparison} worked out for one scenario, from medians. The
 * latency ratios are NaN when the two ran with different numbers of calls in flight.
 */
public record Ratio(String title, Scenario scenario, double requestsPerSecond, double p50, double p99, double bytesPerCall) {
}
