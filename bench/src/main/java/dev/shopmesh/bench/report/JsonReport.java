package dev.shopmesh.bench.report;

import dev.shopmesh.bench.orders.OrderResult;
import dev.shopmesh.bench.serve.ServerLog;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;

/** The report as JSON: every run with its command, the summary rows and the ratios; the order benchmark's results. */
public final class JsonReport {

  private JsonReport() {
  }

  public static JsonObject render(Summary summary, List<OrderResult> orders, Machine machine, JsonObject settings,
                                  List<ServerLog> logs) {
    JsonArray runs = new JsonArray();
    summary.measurements().forEach(m -> runs.add(new JsonObject()
      .put("target", m.target().id())
      .put("scenario", m.scenario().label())
      .put("round", m.round())
      .put("command", m.run().command())
      .put("requestsPerSecond", m.run().report().requestsPerSecond())
      .put("done", m.run().report().done())
      .put("succeeded", m.run().report().succeeded())
      .put("errors", m.errors())
      .put("p50Micros", m.run().latencies().p50Micros())
      .put("p90Micros", m.run().latencies().p90Micros())
      .put("p99Micros", m.run().latencies().p99Micros())
      .put("maxMicros", m.run().latencies().maxMicros())
      .put("meanMicros", m.run().report().requestTimeMeanMicros())
      .put("bytesTotal", m.run().report().bytesTotal())
      // h2load counts these two from its start, warm-up included; bytesTotal only in the main phase.
      .put("bytesHeadersWithWarmUp", m.run().report().bytesHeaders())
      .put("bytesDataWithWarmUp", m.run().report().bytesData())
      .put("bytesPerCall", m.run().report().bytesPerCall())
      .put("serverCores", finite(m.cpu().serverCores()))
      .put("h2loadCores", finite(m.cpu().clientCores()))
      .put("sampleCalls", m.sample().calls())
      .put("sampleWrong", m.sample().wrong())
      .put("problems", new JsonArray(m.problems()))));
    JsonArray rows = new JsonArray();
    summary.rows().forEach(r -> rows.add(new JsonObject()
      .put("target", r.target().id())
      .put("label", r.target().label())
      .put("scenario", r.scenario().label())
      .put("load", r.scenario().shape(r.target().call().protocol()).toString())
      .put("runs", r.runs())
      .put("requestsPerSecond", spread(r.requestsPerSecond()))
      .put("p50Millis", spread(r.p50Millis()))
      .put("p99Millis", spread(r.p99Millis()))
      .put("bytesPerCall", spread(r.bytesPerCall()))
      .put("serverCores", spread(r.serverCores()))
      .put("h2loadCores", spread(r.clientCores()))
      .put("errors", r.errors())));
    JsonArray ratios = new JsonArray();
    summary.ratios().forEach(r -> ratios.add(new JsonObject()
      .put("title", r.title())
      .put("scenario", r.scenario().label())
      .put("requestsPerSecond", finite(r.requestsPerSecond()))
      .put("requestsPerSecondByRound", spread(r.requestsPerSecondByRound()))
      .put("p50", finite(r.p50()))
      .put("p99", finite(r.p99()))
      .put("bytesPerCall", finite(r.bytesPerCall()))));
    return new JsonObject()
      .put("generated", Instant.now().toString())
      .put("machine", machine.toJson())
      .put("settings", settings)
      .put("errors", ResultTable.errors(summary, orders))
      .put("summary", rows)
      .put("ratios", ratios)
      .put("orders", new JsonArray(orders.stream().map(OrderResult::toJson).toList()))
      .put("serverLogs", new JsonArray(logs.stream().map(ServerLog::toJson).toList()))
      .put("runs", runs);
  }

  private static JsonObject spread(Spread s) {
    return new JsonObject().put("min", finite(s.min())).put("median", finite(s.median())).put("max", finite(s.max()));
  }

  /** JSON has no NaN: a ratio with nothing to divide by is null. */
  private static Double finite(double value) {
    return Double.isFinite(value) ? value : null;
  }
}
