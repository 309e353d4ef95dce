package dev.shopmesh.bench.report;

import dev.shopmesh.bench.load.Latencies;
import dev.shopmesh.bench.load.Scenario;
import dev.shopmesh.bench.orders.OrderPlan;
import dev.shopmesh.bench.orders.OrderResult;
import dev.shopmesh.bench.orders.OrderStep;
import dev.shopmesh.bench.serve.ServerProcess;
import dev.shopmesh.bench.serve.ServerLog;

import java.util.List;
import java.util.Locale;

/**
 * The report as text: one table per scenario (medians, with min–max over the rounds), then the
 * ratios; then the order benchmark's runs and the mesh's footprint.
 */
public final class ResultTable {

  private ResultTable() {
  }

  /** Every error that fails the run: the h2load runs' and the order benchmark's. */
  public static long errors(Summary summary, List<OrderResult> orders) {
    return summary.errors() + orders.stream().mapToLong(OrderResult::failingErrors).sum();
  }

  public static String render(Summary summary, List<OrderResult> orders, Machine machine, String settings, List<ServerLog> logs) {
    StringBuilder out = new StringBuilder();
    out.append("machine: ").append(machine.cores()).append(" cores (").append(machine.cpu()).append("), ")
      .append(machine.memory()).append(" memory, ").append(machine.os()).append('\n')
      .append("         ").append(machine.java()).append(", ").append(machine.h2load())
      .append(", load average at start ").append(machine.loadAverageAtStart()).append('\n')
      .append("runs:    ").append(settings).append('\n');
    for (Scenario scenario : Scenario.values()) {
      if (summary.rows().stream().noneMatch(r -> r.scenario() == scenario)) {
        continue;
      }
      TextColumns table = new TextColumns(2)
        .row("target", "load", "req/s", "[min–max]", "p50 ms", "[min–max]", "p99 ms", "[min–max]", "B/call",
          "server cores", "h2load cores", "errors");
      summary.rows().stream().filter(r -> r.scenario() == scenario).forEach(row -> table.row(
        row.target().label(),
        scenario.shape(row.target().call().protocol()).toString(),
        number(row.requestsPerSecond().median()), range(row.requestsPerSecond()),
        number(row.p50Millis().median()), range(row.p50Millis()),
        number(row.p99Millis().median()), range(row.p99Millis()),
        String.format(Locale.ROOT, "%.0f", row.bytesPerCall().median()),
        cores(row.serverCores().median()),
        cores(row.clientCores().median()),
        String.valueOf(row.errors())));
      out.append('\n').append(scenario.label()).append('\n').append(table.render("  "));
    }
    if (!summary.ratios().isEmpty()) {
      TextColumns ratios = new TextColumns(2)
        .row("ratio of medians", "scenario", "req/s", "by round [min–max]", "p50", "p99", "B/call");
      summary.ratios().forEach(r -> ratios.row(r.title(), r.scenario().label(), ratio(r.requestsPerSecond()),
        ratio(r.requestsPerSecondByRound().median()) + " [" + ratio(r.requestsPerSecondByRound().min()) + "–"
          + ratio(r.requestsPerSecondByRound().max()) + "]",
        ratio(r.p50()), ratio(r.p99()), ratio(r.bytesPerCall())));
      out.append('\n').append(ratios.render("  "))
        .append("  (by round: each round's own req/s ratio, its two runs back to back; -: latency not compared,\n")
        .append("   the two ran with different numbers of calls in flight)\n");
    }
    if (!orders.isEmpty()) {
      out.append(orders(orders));
    }
    out.append("\nerrors in all: ").append(errors(summary, orders)).append('\n');
    for (ServerLog log : logs) {
      out.append("server log, ").append(log.server()).append(": ").append(log.lines()).append(" lines, ")
        .append(log.errorLines()).append(" reporting errors")
        .append(log.firstError() == null ? "" : "; the first: " + log.firstError()).append('\n');
    }
    return out.toString();
  }

  /** The order benchmark: every run of every store, the highest sustainable rates, then the footprint. */
  static String orders(List<OrderResult> orders) {
    OrderPlan plan = orders.get(0).plan();
    StringBuilder out = new StringBuilder("\norders: PlaceOrder on the gateway's gRPC port, each through order-service, catalog-service (reserve)\n"
      + "        and payment-service (charge), every step written to the store; from the harness on one HTTP/2\n"
      + "        connection, open loop, latency from each order's scheduled send time (the warm-up: closed loop, from\n"
      + "        its send); errors: any order not CONFIRMED; a ramp step stops once it cannot be sustainable\n");
    TextColumns runs = new TextColumns(2, 1).row("store", "run", "rate/s", "confirmed/s", "p50 ms", "p90 ms", "p99 ms", "max ms",
      "errors", "server cores", "client cores", "verdict");
    for (OrderResult o : orders) {
      for (OrderStep step : o.steps()) {
        String verdict = switch (step.phase()) {
          case "fixed" -> "p99 ≤ " + millis(plan.p99TargetMillis()) + " ms: " + (o.fixedMeetsTarget() ? "met" : "missed")
            + (step.errors() > 0 ? ", " + step.errors() + " errors" : "");
          case "ramp" -> step.verdict(plan.p99LimitMillis());
          default -> step.errors() > 0 ? step.errors() + " errors" : "";
        };
        Latencies l = step.latencies();
        runs.row(o.store().name(), step.phase(), step.load(),
          Double.isNaN(step.confirmedPerSecond()) ? "-" : String.format(Locale.ROOT, "%.1f", step.confirmedPerSecond()),
          number(l.p50Micros() / 1000.0),
          number(l.p90Micros() / 1000.0), number(l.p99Micros() / 1000.0), number(l.maxMicros() / 1000.0),
          String.valueOf(step.errors()), cores(step.cpu().serverCores()), cores(step.cpu().clientCores()), verdict);
      }
    }
    out.append(runs.render("  "));
    out.append("  max sustainable orders/s (p99 < ").append(millis(plan.p99LimitMillis())).append(" ms, no errors):");
    for (OrderResult o : orders) {
      out.append(' ').append(o.store().name()).append(' ')
        .append(o.maxSustainable() == null ? "none" : (o.ceilingReached() ? "≥ " : "") + o.maxSustainable())
        .append(o == orders.get(orders.size() - 1) ? "" : ";");
    }
    out.append('\n');
    for (OrderResult o : orders) {
      out.append("  ").append(o.store().name()).append(": ").append(o.store().describe())
        .append(o.pinning() == null ? "; not pinned" : "; pinned: " + o.pinning()).append('\n');
      o.steps().stream().filter(s -> !s.problems().isEmpty()).forEach(s -> out.append("    ").append(s.phase()).append(' ')
        .append(s.ratePerSecond()).append("/s: ").append(s.problems()).append('\n'));
    }
    out.append("\nfootprint: the mesh process the orders went to, one JVM running catalog-service, payment-service,\n"
      + "           order-service and the gateway (").append(String.join(" ", ServerProcess.JVM_FLAGS))
      .append("); RSS is its VmRSS, peak its VmHWM (/proc/<pid>/status)\n");
    TextColumns footprint = new TextColumns(1).row("store", "ready s", "first order s", "RSS then MiB", "idle MiB",
      "after ramp MiB", "end MiB", "peak MiB");
    for (OrderResult o : orders) {
      footprint.row(o.store().name(), number(o.readyMillis() / 1000), number(o.firstOrderMillis() / 1000),
        mib(o.atFirstOrder().rssMiB()), mib(o.idle().rssMiB()), mib(o.afterRamp().rssMiB()), mib(o.end().rssMiB()), mib(o.end().peakMiB()));
    }
    out.append(footprint.render("  "))
      .append("  (ready: from the process's start to its ready line; first order: to the first order answered CONFIRMED,\n"
        + "   and RSS then; idle: after the warm-up, once the process was idle; end: right after the fixed-rate run)\n");
    return out.toString();
  }

  private static String millis(double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
  }

  private static String mib(double value) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.0f", value);
  }

  /** Three significant figures or so: 0.0621, 1.42, 24.3, 18234. */
  static String number(double value) {
    if (Double.isNaN(value)) {
      return "-";
    }
    double abs = Math.abs(value);
    String format = abs >= 100 ? "%.0f" : abs >= 10 ? "%.1f" : abs >= 1 ? "%.2f" : "%.3f";
    return String.format(Locale.ROOT, format, value);
  }

  private static String range(Spread s) {
    return "[" + number(s.min()) + "–" + number(s.max()) + "]";
  }

  private static String cores(double value) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2f", value);
  }

  private static String ratio(double value) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2f", value);
  }
}
