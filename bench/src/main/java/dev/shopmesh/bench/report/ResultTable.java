package dev.shopmesh.bench.report;

import dev.shopmesh.bench.load.Scenario;
import dev.shopmesh.bench.serve.ServerLog;

import java.util.List;
import java.util.Locale;

/** The report as text: one table per scenario (medians, with min–max over the rounds), then the ratios. */
public final class ResultTable {

  private ResultTable() {
  }

  public static String render(Summary summary, Machine machine, String settings, List<ServerLog> logs) {
    StringBuilder out = new StringBuilder();
    out.append("machine: ").append(machine.cores()).append(" cores (").append(machine.cpu()).append("), ")
      .append(machine.memory()).append(" memory, ").append(machine.os()).append('\n')
      .append("         ").append(machine.java()).append(", ").append(machine.h2load())
      .append(", load average at start ").append(machine.loadAverageAtStart()).append('\n')
      .append("runs:    ").append(settings).append('\n');
    for (Scenario scenario : Scenario.values()) {
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
    TextColumns ratios = new TextColumns(2).row("ratio of medians", "scenario", "req/s", "p50", "p99", "B/call");
    summary.ratios().forEach(r -> ratios.row(r.title(), r.scenario().label(),
      ratio(r.requestsPerSecond()), ratio(r.p50()), ratio(r.p99()), ratio(r.bytesPerCall())));
    out.append('\n').append(ratios.render("  "))
      .append("  (-: latency not compared, the two ran with different numbers of calls in flight)\n");
    out.append("\nerrors in all: ").append(summary.errors()).append('\n');
    for (ServerLog log : logs) {
      out.append("server log, ").append(log.server()).append(": ").append(log.lines()).append(" lines, ")
        .append(log.errorLines()).append(" reporting errors")
        .append(log.firstError() == null ? "" : "; the first: " + log.firstError()).append('\n');
    }
    return out.toString();
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
