package dev.shopmesh.gateway.http;

import dev.shopmesh.platform.metrics.Prometheus;
import dev.shopmesh.platform.metrics.ServedCalls;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;

/**
 * The HTTP requests the gateway answered, by method, route and status code, with their latency
 * ({@code GET /metrics}). A request counts under the route that answered it, as declared
 * ({@code /api/orders/:id}), not the path the client wrote, which would make a series of every
 * order id; {@value #UNMATCHED} when no route did (a 404, a 405). A client that closed its
 * connection before its answer counts as {@value #CLOSED}; a streamed answer that failed after its
 * 200 was sent, and was cut short, as {@value #CUT_SHORT}.
 */
final class RequestCounts implements Handler<RoutingContext> {

  static final String UNMATCHED = "unmatched";
  static final String CLOSED = "closed";
  static final String CUT_SHORT = "cut_short";
  private static final String WAS_CUT_SHORT = "shopmesh.cutShort";
  /** Where a route puts its label, {@code ,route="…"}, on each request it matches. */
  private static final String ROUTE = "shopmesh.route";
  private static final String COUNTED = "shopmesh.counted";
  private static final String UNMATCHED_LABEL = routeLabel(UNMATCHED);

  /** Kinds are their labels already, {@code method="GET",route="/api/orders/:id"}. */
  final ServedCalls answered = new ServedCalls(new ServedCalls.Names("shopmesh_http_server_request",
    "HTTP requests this process answered, by method and route", labels -> labels));

  /** First on every request: counts it once its answer ends. */
  @Override
  public void handle(RoutingContext ctx) {
    // Once: a reroute (/index.html to /) routes the request again, through here too.
    if (ctx.get(COUNTED) == null) {
      ctx.put(COUNTED, true);
      long start = System.nanoTime();
      ctx.addEndHandler(done -> answered.record("method=\"" + method(ctx.request().method()) + "\"" + ctx.get(ROUTE, UNMATCHED_LABEL),
        ctx.get(WAS_CUT_SHORT) != null ? CUT_SHORT : ctx.response().ended() ? Integer.toString(ctx.response().getStatusCode()) : CLOSED,
        System.nanoTime() - start));
    }
    ctx.next();
  }

  /**
   * The answer to {@code ctx}, its 200 sent, failed and is cut short: counted so, where it read as
   * the client hanging up, and an operator looking for failures found none.
   */
  static void cutShort(RoutingContext ctx) {
    ctx.put(WAS_CUT_SHORT, true);
  }

  /** {@code route}, the requests it matches counted under {@code path}. */
  static Route named(Route route, String path) {
    String label = routeLabel(path);
    return route.handler(ctx -> {
      ctx.put(ROUTE, label);
      ctx.next();
    });
  }

  private static String routeLabel(String route) {
    return ",route=\"" + Prometheus.label(route) + "\"";
  }

  /** The method's name, or "other" for one HTTP does not define: a client may send any token. */
  private static String method(HttpMethod method) {
    return HttpMethod.values().contains(method) ? method.name() : "other";
  }
}
