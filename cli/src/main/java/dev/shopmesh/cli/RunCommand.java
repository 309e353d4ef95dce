package dev.shopmesh.cli;

import dev.shopmesh.platform.boot.Launcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code shopmesh run SERVICE [--flag=value…]}: one service as a process of its own, as its
 * own main class runs it ({@link Launcher#main}: finding the others through the data directory's
 * registry unless told another). Everything after the service name goes to the service untouched
 * ({@link ShopmeshCli#commandLine()} makes picocli stop parsing at the first positional argument).
 */
@Command(
  name = "run",
  mixinStandardHelpOptions = true,
  description = {
    "Run one service in this process until Ctrl-C, as its own main class does.",
    "For a mesh spread over several processes or machines; the services find each other through discovery: "
      + "by default the registry in the data directory, so a run on the data directory of a ./shopmesh up joins that mesh.",
    "The flags after the service name are the service's own settings (--grpc-port=N, --http-port=N, --data-dir=DIR, "
      + "...): each --name=value sets SHOPMESH_NAME, over the environment (./shopmesh run SERVICE --help lists them).",
    "Example: ./shopmesh run catalog-service --data-dir=./data (one replica more for the ./shopmesh up running on ./data)",
    "Exits with 2 on a usage error (no service, one that is not a shopmesh service, or a bad value of a setting), with 1 if "
      + "the service fails to start (its port in use, its database not answering; SHOPMESH_GRPC_PORT set for up is every "
      + "service's: add --grpc-port=0). " + RunCommand.STOPS})
final class RunCommand implements Callable<Integer> {

  /** How up and run end once started. */
  static final String STOPS = "Started, it serves until Ctrl-C or SIGTERM (exit status 130 or 143), letting calls in flight finish first.";

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SERVICE", completionCandidates = Services.AllNames.class,
    description = "The service to run: ${COMPLETION-CANDIDATES}.")
  String service;

  @Parameters(index = "1..*", arity = "0..*", paramLabel = "FLAG",
    description = "The service's settings, passed to it untouched, e.g. --grpc-port=7001.")
  List<String> flags = new ArrayList<>();

  @Override
  public Integer call() {
    Services.Service chosen = Services.named(service, Services.ALL).orElseThrow(() -> new ParameterException(
      spec.commandLine(), "unknown service '" + service + "'; choose one of " + Services.names(Services.ALL)));
    // Returns once the service serves (its Vert.x threads keep the JVM running); exits by itself with
    // 2 on a bad flag and 1 if the service cannot start.
    Launcher.main(flags.toArray(String[]::new), chosen.factory());
    return 0;
  }
}
