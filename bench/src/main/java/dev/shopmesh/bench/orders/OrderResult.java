package dev.shopmesh.bench.orders;

import dev.shopmesh.bench.load.ProcessMemory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The order benchmark against one mesh process (one store): its footprint and its runs.
 *
 * @param pinning          how the server and the load generator were pinned, or null
 * @param readyMillis      from just before the process was started to its ready line (the four
 *                         services up, the bench's products imported, the gateway healthy)
 * @param firstOrderMillis from the same start to the first order answered CONFIRMED
 * @param atFirstOrder     right after the first order: the process before any load
 * @param idle             after the first order and the warm-up, once the process was idle
 * @param afterRamp        right after the last ramp step
 * @param end              right after the fixed-rate run: the end of the order load
 * @param maxSustainable   the highest rate (orders/s) found sustainable, or null for none
 */
public record OrderResult(Store store, OrderPlan plan, String pinning, double readyMillis, double firstOrderMillis,
                          long firstOrderMicros, ProcessMemory atFirstOrder, ProcessMemory idle, ProcessMemory afterRamp,
                          ProcessMemory end,
                          OrderStep warmUp, List<OrderStep> ramp, OrderStep fixed, Integer maxSustainable,
                          boolean ceilingReached) {

  public OrderResult {
    ramp = List.copyOf(ramp);
  }

  /**
   * Errors that fail the run: any in the warm-up or at the fixed rate, and wrong answers anywhere.
   * Overload errors in a ramp step are what made that step unsustainable: reported, not failing.
   */
  public long failingErrors() {
    return warmUp.errors() + fixed.errors() + ramp.stream().mapToLong(OrderStep::wrongAnswers).sum();
  }

  /** One line for each run with failing errors. */
  public List<String> failures() {
    List<String> failures = new ArrayList<>();
    for (OrderStep step : steps()) {
      long failing = step.phase().equals("ramp") ? step.wrongAnswers() : step.errors();
      if (failing > 0) {
        failures.add("orders " + store.name() + " " + step.phase() + " " + step.ratePerSecond() + "/s: " + failing
          + " failing errors: " + step.problems());
      }
    }
    return failures;
  }

  /** The runs in the order they ran: the warm-up, the ramp steps, the fixed run. */
  public List<OrderStep> steps() {
    List<OrderStep> steps = new ArrayList<>(List.of(warmUp));
    steps.addAll(ramp);
    steps.add(fixed);
    return steps;
  }

  public boolean fixedMeetsTarget() {
    return fixed.errors() == 0 && fixed.latencies().count() > 0 && fixed.latencies().p99Micros() <= plan.p99TargetMillis() * 1000;
  }

  public JsonObject toJson() {
    JsonArray rampJson = new JsonArray();
    ramp.forEach(step -> rampJson.add(step.toJson().put("sustainable", step.sustainable(plan.p99LimitMillis()))));
    return new JsonObject()
      .put("store", store.name())
      .put("storeDescription", store.describe())
      .put("pinning", pinning)
      .put("process", "one JVM: catalog-service, payment-service, order-service and gateway")
      .put("readyMillis", OrderStep.finite(readyMillis))
      .put("firstConfirmedOrderMillis", OrderStep.finite(firstOrderMillis))
      .put("firstOrderCallMicros", firstOrderMicros)
      .put("rss", new JsonObject()
        .put("atFirstOrderKb", atFirstOrder.rssKb())
        .put("idleKb", idle.rssKb())
        .put("afterRampKb", afterRamp.rssKb())
        .put("endKb", end.rssKb())
        .put("peakKb", end.peakKb()))
      .put("warmUp", warmUp.toJson())
      .put("fixed", fixed.toJson().put("p99TargetMillis", plan.p99TargetMillis()).put("meetsTarget", fixedMeetsTarget()))
      .put("ramp", rampJson)
      .put("maxSustainablePerSecond", maxSustainable)
      .put("ceilingReached", ceilingReached)
      .put("failingErrors", failingErrors());
  }
}
