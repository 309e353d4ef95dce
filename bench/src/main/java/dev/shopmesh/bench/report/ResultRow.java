package dev.shopmesh.bench.report;

import dev.shopmesh.bench.load.Scenario;
import dev.shopmesh.bench.plan.Target;

/**
 * Every run of one target in one scenario, summed up; latencies in milliseconds, CPU in cores
 * (CPU seconds per second of the run).
 */
public record ResultRow(Target target, Scenario scenario, int runs, Spread requestsPerSecond, Spread p50Millis,
                        Spread p99Millis, Spread bytesPerCall, Spread serverCores,
                        Spread clientCores, long errors) {
}
