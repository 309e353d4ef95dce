package dev.shopmesh.bench.orders;

import dev.shopmesh.bench.load.CpuMeter;
import dev.shopmesh.bench.load.Latencies;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.TreeMap;

/**
 * One open-loop run of PlaceOrder at a fixed rate: {@code scheduled} orders, one every
 * 1/{@code ratePerSecond} s over {@code millis}, each timed from its scheduled send time.
 *
 * @param phase          {@code warm-up}, {@code fixed} or {@code ramp}
 * @param overloadErrors see {@link Outcome.Kind#OVERLOAD}
 * @param wrongAnswers   see {@link Outcome.Kind#WRONG}
 * @param cpu            the mesh process's cores and the harness's (the load generator's) over the run
 */
public record OrderStep(String phase, int ratePerSecond, long millis, int scheduled, long confirmed,
                        long overloadErrors, long wrongAnswers, Latencies latencies, Map<String, Long> problems,
                        CpuMeter.CpuUse cpu) {

  public static OrderStep of(String phase, int ratePerSecond, long millis, int scheduled, OrderTally tally, CpuMeter.CpuUse cpu) {
    return new OrderStep(phase, ratePerSecond, millis, scheduled, tally.confirmed(), tally.overload(), tally.wrong(),
      tally.latencies(), tally.problems(), cpu);
  }

  public long errors() {
    return overloadErrors + wrongAnswers;
  }

  /** Confirmed orders per second of the schedule. */
  public double confirmedPerSecond() {
    return millis == 0 ? Double.NaN : confirmed * 1000.0 / millis;
  }

  /** Every order confirmed, none failed, and the p99 below the limit. */
  public boolean sustainable(double p99LimitMillis) {
    return errors() == 0 && confirmed == scheduled && scheduled > 0 && latencies.p99Micros() < p99LimitMillis * 1000;
  }

  /** Why the step is not sustainable, or {@code sustainable}. */
  public String verdict(double p99LimitMillis) {
    if (sustainable(p99LimitMillis)) {
      return "sustainable";
    }
    if (errors() > 0) {
      return errors() + " errors";
    }
    return confirmed < scheduled ? "only " + confirmed + " of " + scheduled + " confirmed" : "p99 ≥ " + fmt(p99LimitMillis) + " ms";
  }

  private static String fmt(double millis) {
    return millis == Math.rint(millis) ? String.valueOf((long) millis) : String.valueOf(millis);
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("phase", phase)
      .put("ratePerSecond", ratePerSecond)
      .put("millis", millis)
      .put("scheduled", scheduled)
      .put("confirmed", confirmed)
      .put("confirmedPerSecond", confirmedPerSecond())
      .put("overloadErrors", overloadErrors)
      .put("wrongAnswers", wrongAnswers)
      .put("p50Micros", latencies.p50Micros())
      .put("p90Micros", latencies.p90Micros())
      .put("p99Micros", latencies.p99Micros())
      .put("maxMicros", latencies.maxMicros())
      .put("serverCores", finite(cpu.serverCores()))
      .put("clientCores", finite(cpu.clientCores()))
      .put("problems", new JsonObject(new TreeMap<String, Object>(problems)));
  }

  static Double finite(double value) {
    return Double.isFinite(value) ? value : null;
  }
}
