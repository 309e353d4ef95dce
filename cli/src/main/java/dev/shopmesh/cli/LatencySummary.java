package dev.shopmesh.cli;

import java.util.Arrays;

/**
 * The median, 99th percentile and maximum of a run's latencies. Percentiles are by nearest rank,
 * so every reported value is one that was actually measured.
 */
record LatencySummary(double p50Millis, double p99Millis, double maxMillis) {

  static LatencySummary ofNanos(long[] latenciesNanos) {
    if (latenciesNanos.length == 0) {
      return new LatencySummary(0, 0, 0);
    }
    long[] sorted = latenciesNanos.clone();
    Arrays.sort(sorted);
    return new LatencySummary(
      millis(nearestRank(sorted, 50)), millis(nearestRank(sorted, 99)), millis(sorted[sorted.length - 1]));
  }

  /** The smallest value with at least {@code percent}% of the values at or below it. */
  static long nearestRank(long[] sorted, int percent) {
    // Integer arithmetic: 0.99 * 100 in floating point can round up past a rank.
    long rank = ((long) percent * sorted.length + 99) / 100;
    return sorted[(int) Math.max(rank, 1) - 1];
  }

  private static double millis(long nanos) {
    return nanos / 1_000_000.0;
  }
}
