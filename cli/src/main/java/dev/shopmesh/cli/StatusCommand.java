package dev.shopmesh.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;
import java.util.concurrent.Callable;

/** {@code shopmesh status}: the replicas of a running mesh, as its gateway sees them. */
@Command(
  name = "status",
  mixinStandardHelpOptions = true,
  description = {
    "Show the replicas of each service of a running mesh and how the calls are spread over them.",
    "Per replica: address, health (checked now), calls and their share of the service's calls, errors, "
      + "calls in flight and p99 latency, as the callers' load balancers counted them.",
    "Exits with 1 if the gateway cannot be reached or does not answer 200, or a service has no replica."})
final class StatusCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--gateway", paramLabel = "URL", description = Gateway.OPTION_HELP)
  URI gateway;

  @Option(names = "--json", description = "Print the gateway's JSON answer as it is, instead of a table.")
  boolean json;

  @Override
  public Integer call() throws InterruptedException {
    Gateway.requireHttpUrl(spec, gateway);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Gateway client = new Gateway(gateway);
    String base = client.base();
    String body;
    try {
      body = client.get("/api/mesh");
    } catch (Gateway.GatewayException e) {
      err.println(e.getMessage());
      return 1;
    }
    if (json) {
      out.println(body.strip());
      return 0;
    }
    JsonObject mesh;
    try {
      mesh = new JsonObject(body);
    } catch (DecodeException e) {
      err.println("the gateway at " + base + " did not answer GET /api/mesh with a JSON object");
      return 1;
    }
    out.print(MeshTable.format(mesh));
    out.flush();
    return MeshTable.missing(mesh).isEmpty() ? 0 : 1;
  }
}
