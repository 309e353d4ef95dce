package dev.shopmesh.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code shopmesh status}: the replicas of a running mesh, as its gateway sees them. */
@Command(
  name = "status",
  mixinStandardHelpOptions = true,
  description = {
    "Show the replicas of each service of a running mesh and how the calls are spread over them.",
    "Per replica: address, health (checked now), calls and their share of the service's calls, errors, "
      + "calls in flight and p99 latency, as the callers' load balancers counted them.",
    "With --watch, the table again every --interval seconds, calls and errors per second since the last one, "
      + "and each replica's share of those calls: watch a new replica take its share.",
    "Exits with 1 if the gateway cannot be reached or does not answer 200, or a service has no replica "
      + "or none healthy (with --watch, at the last refresh); with 2 on a bad option."})
final class StatusCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--gateway", paramLabel = "URL", description = Gateway.OPTION_HELP)
  URI gateway;

  @Option(names = "--json", description = "Print the gateway's JSON answer as it is, instead of a table.")
  boolean json;

  @Option(names = "--watch", description = "Show the table again every --interval seconds, with rates since the last one, "
    + "until Ctrl-C or --count tables.")
  boolean watch;

  @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "2",
    description = "Seconds between tables with --watch, 1 to 3600 (default: ${DEFAULT-VALUE}; the replicas report every second).")
  double intervalSeconds;

  @Option(names = "--count", paramLabel = "N", defaultValue = "0",
    description = "With --watch, stop after N tables (default: ${DEFAULT-VALUE}, until Ctrl-C).")
  int count;

  @Override
  public Integer call() throws InterruptedException {
    Gateway.requireHttpUrl(spec, gateway);
    // At least the second in which the replicas report their callers' counts: shorter, every other
    // table read no change and the next one twice the calls.
    if (!(intervalSeconds >= 1 && intervalSeconds <= 3600) || count < 0 || watch && json) {
      throw new ParameterException(spec.commandLine(), watch && json ? "--watch shows tables: leave out --json"
        : count < 0 ? "--count must be 0 or more, got " + count
        : "--interval must be 1 to 3600 seconds, got " + intervalSeconds);
    }
    // Without --watch they were ignored without a word: one table, whatever was asked.
    for (String watchOnly : List.of("--count", "--interval")) {
      if (!watch && spec.commandLine().getParseResult().hasMatchedOption(watchOnly)) {
        throw new ParameterException(spec.commandLine(), watchOnly + " goes with --watch, which shows the table again and again");
      }
    }
    Gateway client = new Gateway(gateway);
    if (!watch) {
      return once(client);
    }
    // A terminal has its screen redrawn; a pipe or file gets one table after the other.
    boolean redraw = System.console() != null;
    JsonObject before = null;
    long beforeNanos = 0;
    int exit = 0;
    for (int shown = 0; count == 0 || shown < count; shown++) {
      if (shown > 0) {
        // The command's own thread, waiting between two looks: nothing else runs on it.
        Thread.sleep((long) (intervalSeconds * 1000));
      }
      long now = System.nanoTime();
      JsonObject mesh = fetch(client);
      if (mesh == null) {
        // Said on stderr; the last table stays on the screen, and the next rates are since it.
        exit = 1;
        continue;
      }
      PrintWriter out = spec.commandLine().getOut();
      out.print(redraw ? "\033[H\033[2J" : shown > 0 ? "\n" : "");
      out.println(before == null ? "calls since each caller started (Ctrl-C to stop)"
        : String.format(Locale.ROOT, "per second over the last %.1f s (Ctrl-C to stop)", (now - beforeNanos) / 1e9));
      exit = print(mesh, before, (now - beforeNanos) / 1e9);
      before = mesh;
      beforeNanos = now;
    }
    return exit;
  }

  /** One table, or the gateway's answer as it is with --json; the exit status. */
  private int once(Gateway client) throws InterruptedException {
    if (json) {
      try {
        spec.commandLine().getOut().println(client.get("/api/mesh").strip());
        return 0;
      } catch (Gateway.GatewayException e) {
        spec.commandLine().getErr().println(e.getMessage());
        return 1;
      }
    }
    return print(fetch(client), null, 0);
  }

  /** The table of {@code mesh} (rates since {@code before} if given); the exit status. */
  private int print(JsonObject mesh, JsonObject before, double seconds) {
    if (mesh == null) {
      return 1;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(MeshTable.format(mesh, before, seconds));
    out.flush();
    List<String> missing = MeshTable.missing(mesh);
    List<String> unhealthy = MeshTable.unhealthy(mesh);
    if (missing.isEmpty() && unhealthy.isEmpty()) {
      return 0;
    }
    if (!watch) {
      // The exit status's reason, where a script's log shows it (a watch shows "0 replicas" or NO and goes on).
      PrintWriter err = spec.commandLine().getErr();
      if (!missing.isEmpty()) {
        err.println("no replica of " + String.join(", ", missing) + " is registered (exit status 1)");
      }
      if (!unhealthy.isEmpty()) {
        err.println("no replica of " + String.join(", ", unhealthy) + " is healthy (exit status 1)");
      }
      err.flush();
    }
    return 1;
  }

  /** The gateway's answer, or null with the reason printed. */
  private JsonObject fetch(Gateway client) throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    try {
      return new JsonObject(client.get("/api/mesh"));
    } catch (Gateway.GatewayException e) {
      err.println(e.getMessage());
    } catch (DecodeException e) {
      err.println("the gateway at " + client.base() + " did not answer GET /api/mesh with a JSON object");
    }
    err.flush();
    return null;
  }
}
