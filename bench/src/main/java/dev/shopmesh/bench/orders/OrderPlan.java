package dev.shopmesh.bench.orders;

import dev.shopmesh.bench.serve.CatalogFill;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * What the order benchmark runs against each mesh process, after the first order: a closed-loop
 * warm-up, the ramp that finds the highest sustainable rate ({@link RateSearch}), then the run at
 * the fixed rate. Each order buys one unit of one of the {@link CatalogFill#IMPORTED} products the
 * bench imports, in turn, so the catalog must hold {@link #stockNeededPerProduct()} of each: the
 * plan refuses a stock smaller than that.
 *
 * @param warmUpConcurrency calls in flight during the warm-up (closed loop)
 * @param leadInMillis    before each open-loop run, its rate for this long, only errors counted
 * @param stepMillis      each ramp step's length
 * @param p99LimitMillis  a step is sustainable with its p99 below this (and no error)
 * @param p99TargetMillis what the issue asks of the fixed rate's p99; reported, never judged
 * @param stock           each imported product's stock in the mesh process the orders go to
 */
public record OrderPlan(boolean quick, int warmUpConcurrency, long warmUpMillis, long leadInMillis, int fixedRate,
                        long fixedMillis, List<Integer> ramp, long stepMillis, int refinements, int resolution,
                        double p99LimitMillis, double p99TargetMillis, int stock) {

  public static final int DEFAULT_FIXED_RATE = 1_000;
  static final double P99_LIMIT_MILLIS = 50;
  static final double P99_TARGET_MILLIS = 20;
  /** Far more than any plan here needs (the constructor checks); the column is an INT. */
  static final int STOCK = 1_000_000_000;
  /** Orders placed to see that the mesh is back to normal before a run: at most this many before each. */
  static final int PROBES_PER_RUN = 200;

  public OrderPlan {
    ramp = List.copyOf(ramp);
    new RateSearch(ramp, refinements, resolution); // refuses a ramp that does not increase
    // The fields are not set yet inside a compact constructor: work from the parameters.
    long most = maxOrders(warmUpConcurrency, warmUpMillis, leadInMillis, fixedRate, fixedMillis, ramp, stepMillis, refinements);
    if (stock < perProduct(most)) {
      throw new IllegalArgumentException("a stock of " + stock + " per product is short of the " + perProduct(most)
        + " that " + most + " orders over " + CatalogFill.IMPORTED + " products may need");
    }
  }

  /** The smoke run: a few seconds of orders, to prove the order path and the harness work. */
  public static OrderPlan smoke() {
    return new OrderPlan(true, 2, 1_000, 0, 100, 1_000, List.of(50, 100, 200), 1_000, 0, 25,
      P99_LIMIT_MILLIS, P99_TARGET_MILLIS, STOCK);
  }

  /**
   * The measurement: 60 s of warm-up with 8 calls in flight, 5 s ramp steps and two refinements, 10 s
   * at the fixed rate, each of those after a 1 s lead-in.
   */
  public static OrderPlan measured(int fixedRate) {
    return new OrderPlan(false, 8, 60_000, 1_000, fixedRate, 10_000,
      List.of(100, 200, 300, 400, 500, 600, 800, 1_000, 1_250, 1_500, 2_000, 2_500, 3_000, 4_000), 5_000, 2, 25,
      P99_LIMIT_MILLIS, P99_TARGET_MILLIS, STOCK);
  }

  /** Orders a run at {@code rate} per second for {@code millis} schedules. */
  public static int orders(int rate, long millis) {
    return (int) Math.round(rate * (double) millis / 1000);
  }

  /**
   * The most orders one mesh process can be asked for: the first, the warm-up (taking no call to
   * be quicker than 1 ms, which one through four services and three databases is not), the whole
   * ramp and every refinement, the fixed run, each with its lead-in, and the probes before each run.
   */
  public long maxOrders() {
    return maxOrders(warmUpConcurrency, warmUpMillis, leadInMillis, fixedRate, fixedMillis, ramp, stepMillis, refinements);
  }

  private static long maxOrders(int warmUpConcurrency, long warmUpMillis, long leadInMillis, int fixedRate, long fixedMillis,
                                List<Integer> ramp, long stepMillis, int refinements) {
    long run = stepMillis + leadInMillis;
    long total = 1 + (long) warmUpConcurrency * warmUpMillis + orders(fixedRate, fixedMillis + leadInMillis);
    for (int rate : ramp) {
      total += orders(rate, run);
    }
    // A refinement lies below a ramp rate tried.
    total += (long) refinements * orders(ramp.get(ramp.size() - 1), run);
    return total + (long) PROBES_PER_RUN * (ramp.size() + refinements + 1);
  }

  /** One unit an order, the products in turn. */
  public long stockNeededPerProduct() {
    return perProduct(maxOrders());
  }

  private static long perProduct(long orders) {
    return (orders + CatalogFill.IMPORTED - 1) / CatalogFill.IMPORTED;
  }

  public String describe() {
    return "warm-up " + warmUpConcurrency + " in flight (closed loop) × " + seconds(warmUpMillis)
      + ", ramp " + ramp + "/s × " + seconds(stepMillis) + (refinements > 0 ? " + up to " + refinements + " refinements" : "")
      + " (sustainable: p99 < " + (long) p99LimitMillis + " ms and no error), fixed " + fixedRate + "/s × " + seconds(fixedMillis)
      + (leadInMillis > 0 ? "; each after a " + seconds(leadInMillis) + " lead-in at its rate" : "");
  }

  private static String seconds(long millis) {
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis / 1000.0 + " s";
  }

  public JsonObject toJson() {
    return new JsonObject().put("warmUpConcurrency", warmUpConcurrency).put("warmUpMillis", warmUpMillis).put("leadInMillis", leadInMillis)
      .put("fixedRate", fixedRate).put("fixedMillis", fixedMillis).put("ramp", new JsonArray(List.copyOf(ramp)))
      .put("stepMillis", stepMillis).put("refinements", refinements).put("resolution", resolution)
      .put("p99LimitMillis", p99LimitMillis).put("p99TargetMillis", p99TargetMillis).put("stockPerProduct", stock)
      .put("description", describe());
  }
}
