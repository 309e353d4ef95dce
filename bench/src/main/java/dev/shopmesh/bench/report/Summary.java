package dev.shopmesh.bench.report;

import dev.shopmesh.bench.load.Scenario;
import dev.shopmesh.bench.plan.Comparison;
import dev.shopmesh.bench.plan.Target;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/** The measurements of a whole run, reduced to one row per target and scenario, and the ratios. */
public record Summary(List<Measurement> measurements, List<ResultRow> rows, List<Ratio> ratios) {

  public static Summary of(List<Measurement> measurements) {
    List<ResultRow> rows = new ArrayList<>();
    for (Scenario scenario : Scenario.values()) {
      for (Target target : Target.ALL) {
        List<Measurement> runs = measurements.stream()
          .filter(m -> m.target().equals(target) && m.scenario() == scenario).toList();
        if (!runs.isEmpty()) {
          rows.add(row(target, scenario, runs));
        }
      }
    }
    List<Ratio> ratios = new ArrayList<>();
    for (Scenario scenario : Scenario.values()) {
      for (Comparison c : Comparison.ALL) {
        Optional<ResultRow> top = find(rows, c.numerator(), scenario);
        Optional<ResultRow> bottom = find(rows, c.denominator(), scenario);
        if (top.isPresent() && bottom.isPresent()) {
          // Latency grows with the calls in flight; compared only when both ran with as many.
          boolean sameLoad = scenario.shape(top.get().target().call().protocol()).inFlight()
            == scenario.shape(bottom.get().target().call().protocol()).inFlight();
          ratios.add(new Ratio(c.title(), scenario,
            ratio(top.get().requestsPerSecond(), bottom.get().requestsPerSecond()),
            byRound(measurements, c, scenario),
            sameLoad ? ratio(top.get().p50Millis(), bottom.get().p50Millis()) : Double.NaN,
            sameLoad ? ratio(top.get().p99Millis(), bottom.get().p99Millis()) : Double.NaN,
            ratio(top.get().bytesPerCall(), bottom.get().bytesPerCall())));
        }
      }
    }
    return new Summary(List.copyOf(measurements), List.copyOf(rows), List.copyOf(ratios));
  }

  public long errors() {
    return measurements.stream().mapToLong(Measurement::errors).sum();
  }

  private static ResultRow row(Target target, Scenario scenario, List<Measurement> runs) {
    return new ResultRow(target, scenario, runs.size(),
      spread(runs, m -> m.run().report().requestsPerSecond()),
      spread(runs, m -> m.run().latencies().p50Micros() / 1000.0),
      spread(runs, m -> m.run().latencies().p99Micros() / 1000.0),
      spread(runs, m -> m.run().report().bytesPerCall()),
      spread(runs, m -> m.cpu().serverCores()),
      spread(runs, m -> m.cpu().clientCores()),
      runs.stream().mapToLong(Measurement::errors).sum());
  }

  private static Spread spread(List<Measurement> runs, ToDoubleFunction<Measurement> figure) {
    return Spread.of(runs.stream().map(m -> figure.applyAsDouble(m)).toList());
  }

  private static Optional<ResultRow> find(List<ResultRow> rows, String targetId, Scenario scenario) {
    return rows.stream().filter(r -> r.target().id().equals(targetId) && r.scenario() == scenario).findFirst();
  }

  /** The req/s ratio within each round both targets ran in: a round's two runs are minutes apart at most. */
  private static Spread byRound(List<Measurement> measurements, Comparison c, Scenario scenario) {
    Map<Integer, Double> bottoms = new HashMap<>();
    measurements.stream().filter(m -> m.target().id().equals(c.denominator()) && m.scenario() == scenario)
      .forEach(m -> bottoms.put(m.round(), m.run().report().requestsPerSecond()));
    return Spread.of(measurements.stream()
      .filter(m -> m.target().id().equals(c.numerator()) && m.scenario() == scenario && bottoms.containsKey(m.round()))
      .filter(m -> bottoms.get(m.round()) > 0)
      .map(m -> m.run().report().requestsPerSecond() / bottoms.get(m.round()))
      .toList());
  }

  private static double ratio(Spread top, Spread bottom) {
    return bottom.median() == 0 ? Double.NaN : top.median() / bottom.median();
  }
}
