package dev.shopmesh.bench.report;

import dev.shopmesh.bench.load.Scenario;

/**
 * A {@link dev.shopmesh.bench.plan.Comparison} worked out for one scenario, from medians. The
 * latency ratios are NaN when the two ran with different numbers of calls in flight.
 *
 * @param requestsPerSecondByRound the req/s ratio of each round on its own (the two targets ran
 *                                 one after the other in it), min, median and max: on a machine whose
 *                                 speed drifts, how far a single round's ratio moves, which the
 *                                 ratio of the medians hides
 */
public record Ratio(String title, Scenario scenario, double requestsPerSecond, Spread requestsPerSecondByRound,
                    double p50, double p99, double bytesPerCall) {
}
