package dev.shopmesh.bench.load;

import java.util.ArrayList;
import java.util.List;

/** One h2load run: the command, its summary and the percentiles from its per-request log. */
public record H2loadRun(String command, H2loadReport report, Latencies latencies) {

  public long errors() {
    return Math.max(report.errors(), latencies.notOk());
  }

  public List<String> problems() {
    List<String> problems = new ArrayList<>(report.problems());
    if (latencies.notOk() > 0 && report.errors() == 0) {
      problems.add(latencies.notOk() + " requests logged with a status other than 2xx");
    }
    return problems;
  }
}
