package dev.shopmesh.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * The gateway's {@code GET /api/mesh} answer as text: the load-balancing strategy, then per service
 * a header with its replica count and one row per replica, with the replica's share of the calls
 * made to that service, as its callers count them, and what the replica answered itself: all its
 * answers, and those not OK. Columns line up across services.
 */
final class MeshTable {

  private static final String[] TOTALS = {"ADDRESS", "HEALTHY", "CALLS", "SHARE", "ERRORS", "IN-FLIGHT", "P99 MS", "ANSWERED", "NOT OK"};
  private static final String[] RATES = {"ADDRESS", "HEALTHY", "CALLS/S", "SHARE", "ERRORS/S", "IN-FLIGHT", "P99 MS", "ANSWERED/S",
    "NOT OK/S"};
  private static final String INDENT = "  ";

  private MeshTable() {
  }

  /** Lines ending in a newline each; tolerant of missing fields, which show as 0 or "-". */
  static String format(JsonObject mesh) {
    return format(mesh, null, 0);
  }

  /**
   * {@link #format(JsonObject)}, but with calls and errors per second since {@code before}, the
   * answer of {@code seconds} earlier, and each replica's share of those calls: a replica just
   * added takes its share of the calls now, while its total stays behind the others' for as long
   * as they ran before it. A replica not in {@code before} shows "-" until the next table; a total
   * that went down (the gateway restarted, forgetting the calls of callers gone) counts as no calls.
   */
  static String format(JsonObject mesh, JsonObject before, double seconds) {
    Map<String, JsonObject> earlier = before == null ? null : byAddress(before);
    String[] headings = earlier == null ? TOTALS : RATES;
    StringBuilder out = new StringBuilder();
    out.append("load balancer: ").append(mesh.getString("strategy", "(unknown)")).append('\n');
    JsonArray services = mesh.getJsonArray("services", new JsonArray());
    if (services.isEmpty()) {
      out.append("no services registered\n");
      return out.toString();
    }

    // Rows first, so that the column widths can be fitted to every service's rows at once.
    List<String[]> allRows = new ArrayList<>();
    List<List<String[]>> rowsByService = new ArrayList<>();
    for (Object s : services) {
      JsonArray replicas = ((JsonObject) s).getJsonArray("replicas", new JsonArray());
      double total = 0;
      for (Object r : replicas) {
        double calls = counted((JsonObject) r, CALLS, earlier, seconds);
        total += Double.isNaN(calls) ? 0 : calls;
      }
      List<String[]> rows = new ArrayList<>();
      for (Object r : replicas) {
        rows.add(row((JsonObject) r, total, earlier, seconds));
      }
      rowsByService.add(rows);
      allRows.addAll(rows);
    }
    int[] widths = new int[headings.length];
    for (int c = 0; c < widths.length; c++) {
      widths[c] = headings[c].length();
      for (String[] row : allRows) {
        widths[c] = Math.max(widths[c], row[c].length());
      }
    }

    for (int i = 0; i < services.size(); i++) {
      JsonObject service = services.getJsonObject(i);
      List<String[]> rows = rowsByService.get(i);
      out.append('\n').append(service.getString("name", "(unnamed)")).append(": ")
        .append(UpCommand.replicaCount(rows.size())).append('\n');
      if (rows.isEmpty()) {
        continue;
      }
      out.append(line(headings, widths));
      rows.forEach(row -> out.append(line(row, widths)));
    }
    if (!allRows.isEmpty()) {
      out.append('\n').append(LEGEND);
    }
    return out.toString();
  }

  /**
   * What the columns count: an idle mesh showed no calls beside a p99 of 500 ms, and ERRORS 0
   * beside NOT OK 9, with nothing to say why.
   */
  static final String LEGEND = "CALLS, ERRORS, IN-FLIGHT and P99 as the replica's callers count them: ERRORS got no answer"
    + " (refused, lost, reset) or one saying the replica failed (UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL, UNKNOWN,"
    + " DATA_LOSS); P99 is of each caller's last 1,024 calls, however old.\n"
    + "ANSWERED and NOT OK as the replica counts them, gRPC calls only (the gateway's HTTP requests are on its /metrics,"
    + " shopmesh_http_server_requests_total): NOT OK is any status but OK (an order"
    + " refused as invalid is NOT OK at order-service; a declined card is an answer, OK, and a product out of stock"
    + " NOT OK at catalog-service alone).\n";

  /** The services listed without a replica (the gateway lists each it depends on). */
  static List<String> missing(JsonObject mesh) {
    return mesh.getJsonArray("services", new JsonArray()).stream().map(JsonObject.class::cast)
      .filter(s -> s.getJsonArray("replicas", new JsonArray()).isEmpty())
      .map(s -> s.getString("name", "(unnamed)")).toList();
  }

  /**
   * The services with replicas none of which is healthy, each as "catalog-service (3 registered)":
   * with PostgreSQL down every replica read NO and status still exited 0.
   */
  static List<String> unhealthy(JsonObject mesh) {
    return mesh.getJsonArray("services", new JsonArray()).stream().map(JsonObject.class::cast)
      .filter(s -> !s.getJsonArray("replicas", new JsonArray()).isEmpty() && s.getJsonArray("replicas").stream()
        .map(JsonObject.class::cast).noneMatch(r -> Boolean.TRUE.equals(r.getValue("healthy"))))
      .map(s -> s.getString("name", "(unnamed)") + " (" + s.getJsonArray("replicas").size() + " registered)").toList();
  }

  private static String[] row(JsonObject replica, double serviceCalls, Map<String, JsonObject> earlier, double seconds) {
    double calls = counted(replica, CALLS, earlier, seconds);
    Object p99 = replica.getValue("p99Ms");
    return new String[] {
      replica.getString("address", "?"),
      Boolean.TRUE.equals(replica.getValue("healthy")) ? "yes" : "NO",
      figure(calls, earlier),
      serviceCalls == 0 || Double.isNaN(calls) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * calls / serviceCalls),
      figure(counted(replica, r -> number(r, "errors"), earlier, seconds), earlier),
      Long.toString(number(replica, "inFlight")),
      p99 instanceof Number n ? String.format(Locale.ROOT, "%.1f", n.doubleValue()) : "-",
      figure(counted(replica, r -> answered(r, code -> true), earlier, seconds), earlier),
      figure(counted(replica, r -> answered(r, code -> !code.equals("OK")), earlier, seconds), earlier)};
  }

  private static final ToLongFunction<JsonObject> CALLS = r -> number(r, "calls");

  /**
   * What the replica's server answered with a status {@code counted} takes, from its
   * {@code served}, {@code {method: {status: count}}}: its own methods only, as its callers' health
   * checks (grpc.health.v1) would show an idle replica busy.
   */
  static long answered(JsonObject replica, Predicate<String> counted) {
    long sum = 0;
    for (Map.Entry<String, Object> method : replica.getJsonObject("served", new JsonObject())) {
      if (method.getKey().startsWith("/grpc.") || !(method.getValue() instanceof JsonObject codes)) {
        continue;
      }
      for (Map.Entry<String, Object> code : codes) {
        if (counted.test(code.getKey()) && code.getValue() instanceof Number n) {
          sum += n.longValue();
        }
      }
    }
    return sum;
  }

  /** A replica's figure: its total, or with {@code earlier} its count per second since then. */
  private static double counted(JsonObject replica, ToLongFunction<JsonObject> figure, Map<String, JsonObject> earlier, double seconds) {
    long now = figure.applyAsLong(replica);
    if (earlier == null) {
      return now;
    }
    JsonObject then = earlier.get(replica.getString("address", "?"));
    // A replica new since then has no rate yet: its whole count is not one interval's.
    return then == null ? Double.NaN : Math.max(0, now - figure.applyAsLong(then)) / seconds;
  }

  private static String figure(double value, Map<String, JsonObject> earlier) {
    return Double.isNaN(value) ? "-" : earlier == null ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
  }

  private static Map<String, JsonObject> byAddress(JsonObject mesh) {
    Map<String, JsonObject> replicas = new HashMap<>();
    mesh.getJsonArray("services", new JsonArray()).forEach(s -> ((JsonObject) s).getJsonArray("replicas", new JsonArray())
      .forEach(r -> replicas.put(((JsonObject) r).getString("address", "?"), (JsonObject) r)));
    return replicas;
  }

  private static long number(JsonObject o, String field) {
    return o.getValue(field) instanceof Number n ? n.longValue() : 0;
  }

  /** Address and health left-aligned, the figures right-aligned. */
  private static String line(String[] cells, int[] widths) {
    StringBuilder line = new StringBuilder(INDENT);
    for (int c = 0; c < cells.length; c++) {
      if (c > 0) {
        line.append("  ");
      }
      String format = c <= 1 ? "%-" + widths[c] + "s" : "%" + widths[c] + "s";
      line.append(String.format(Locale.ROOT, format, cells[c]));
    }
    return line.toString().stripTrailing() + '\n';
  }
}
