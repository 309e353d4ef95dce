package dev.shopmesh.bench.report;

import java.util.List;

/** Minimum, median and maximum of repeated measurements of one figure. */
public record Spread(double min, double median, double max) {

  public static Spread of(List<Double> values) {
    if (values.isEmpty()) {
      return new Spread(Double.NaN, Double.NaN, Double.NaN);
    }
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return new Spread(sorted[0], median, sorted[n - 1]);
  }
}
