package dev.shopmesh.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.concurrent.Callable;

/** {@code shopmesh status}: the replicas of a running mesh, as its gateway sees them. */
@Command(
  name = "status",
  mixinStandardHelpOptions = true,
  description = {
    "Show the replicas of each service of a running mesh and how the calls are spread over them.",
    "Per replica: address, health (checked now), calls and their share of the service's calls, errors, "
      + "calls in flight and p99 latency, as the callers' load balancers counted them.",
    "Exits with 1 if the gateway cannot be reached or does not answer 200."})
final class StatusCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--gateway", paramLabel = "URL", defaultValue = "http://localhost:8080",
    description = "The gateway's HTTP address (default: ${DEFAULT-VALUE}).")
  URI gateway;

  @Option(names = "--json", description = "Print the gateway's JSON answer as it is, instead of a table.")
  boolean json;

  @Override
  public Integer call() throws InterruptedException {
    if (!("http".equals(gateway.getScheme()) || "https".equals(gateway.getScheme())) || gateway.getHost() == null) {
      throw new ParameterException(spec.commandLine(), "--gateway must be an http:// or https:// URL, got '" + gateway + "'");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String base = gateway.toString().replaceAll("/+$", "");
    HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(OrderLoad.REQUEST_TIMEOUT)
      .build();
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/mesh"))
      .timeout(OrderLoad.REQUEST_TIMEOUT)
      .header("Accept", "application/json")
      .GET()
      .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, BodyHandlers.ofString());
    } catch (IOException e) {
      err.println("cannot reach the gateway at " + base + ": " + OrderLoad.describe(e)
        + " (is the mesh running? start it with ./shopmesh up)");
      return 1;
    }
    if (response.statusCode() != 200) {
      err.println("the gateway at " + base + " answered GET /api/mesh with HTTP " + response.statusCode()
        + (response.body().isBlank() ? "" : ": " + response.body().strip()));
      return 1;
    }
    if (json) {
      out.println(response.body().strip());
      return 0;
    }
    JsonObject mesh;
    try {
      mesh = new JsonObject(response.body());
    } catch (DecodeException e) {
      err.println("the gateway at " + base + " did not answer GET /api/mesh with a JSON object");
      return 1;
    }
    out.print(MeshTable.format(mesh));
    out.flush();
    return 0;
  }
}
