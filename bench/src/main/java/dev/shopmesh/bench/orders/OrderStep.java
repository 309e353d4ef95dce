package dev.shopmesh.bench.orders;

import dev.shopmesh.bench.load.CpuMeter;
import dev.shopmesh.bench.load.Latencies;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.TreeMap;

/**
 * One run of PlaceOrder. Open loop (the fixed rate, the ramp): {@code scheduled} orders, one every
 * 1/{@code ratePerSecond} s over {@code millis}, each timed from its scheduled send time. Closed
 * loop (the warm-up): {@code concurrency} calls in flight for {@code millis}, each timed from its
 * send; {@code ratePerSecond} is 0 and {@code scheduled} the orders it came to.
 *
 * @param phase          {@code warm-up}, {@code fixed} or {@code ramp}
 * @param overloadErrors see {@link Outcome.Kind#OVERLOAD}
 * @param wrongAnswers   see {@link Outcome.Kind#WRONG}
 * @param abandoned      orders of the schedule not sent because the run could no longer be
 *                       sustainable ({@link OrderTally#hopeless}): a ramp step stops early, so that
 *                       an overload stays short and the next step finds the mesh as it was
 * @param cpu            the mesh process's cores and the harness's (the load generator's) over the run
 */
public record OrderStep(String phase, int ratePerSecond, int concurrency, long millis, int scheduled, long confirmed,
                        long overloadErrors, long wrongAnswers, long abandoned, Latencies latencies,
                        Map<String, Long> problems, CpuMeter.CpuUse cpu) {

  /** An open-loop run. */
  public static OrderStep open(String phase, int ratePerSecond, long millis, int scheduled, OrderTally tally, CpuMeter.CpuUse cpu) {
    return new OrderStep(phase, ratePerSecond, 0, millis, scheduled, tally.confirmed(), tally.overload(), tally.wrong(),
      tally.abandoned(), tally.latencies(), tally.problems(), cpu);
  }

  /** A closed-loop run: as many orders as its calls in flight came to. */
  public static OrderStep closed(String phase, int concurrency, long millis, OrderTally tally, CpuMeter.CpuUse cpu) {
    int placed = (int) (tally.confirmed() + tally.errors());
    return new OrderStep(phase, 0, concurrency, millis, placed, tally.confirmed(), tally.overload(), tally.wrong(), 0,
      tally.latencies(), tally.problems(), cpu);
  }

  /** What the table's rate column says: {@code 1000} (per second) or {@code ×4 closed}. */
  public String load() {
    return concurrency > 0 ? "×" + concurrency + " closed" : String.valueOf(ratePerSecond);
  }

  public long errors() {
    return overloadErrors + wrongAnswers;
  }

  /** Confirmed orders per second of the schedule; NaN for a run stopped early, which did not last it. */
  public double confirmedPerSecond() {
    return millis == 0 || abandoned > 0 ? Double.NaN : confirmed * 1000.0 / millis;
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
    String why = errors() > 0 ? errors() + " errors"
      : latencies.p99Micros() >= p99LimitMillis * 1000 ? "p99 ≥ " + fmt(p99LimitMillis) + " ms"
      : "only " + confirmed + " of " + scheduled + " confirmed";
    return abandoned > 0 ? why + ", stopped after " + (scheduled - abandoned) + " of " + scheduled : why;
  }

  private static String fmt(double millis) {
    return millis == Math.rint(millis) ? String.valueOf((long) millis) : String.valueOf(millis);
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("phase", phase)
      .put("ratePerSecond", ratePerSecond)
      .put("closedLoopConcurrency", concurrency)
      .put("millis", millis)
      .put("scheduled", scheduled)
      .put("confirmed", confirmed)
      .put("confirmedPerSecond", finite(confirmedPerSecond()))
      .put("overloadErrors", overloadErrors)
      .put("wrongAnswers", wrongAnswers)
      .put("abandoned", abandoned)
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
