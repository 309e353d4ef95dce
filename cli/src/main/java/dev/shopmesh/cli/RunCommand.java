package dev.shopmesh.cli;

import dev.shopmesh.platform.boot.Launcher;
import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.discovery.Discovery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code shopmesh run SERVICE [--flag=value…]}: one service as a process of its own, as its
 * own main class runs it, finding the others through the data directory's registry unless the
 * environment names another. Everything after the service name goes to the service untouched
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
    "Exits with 2 on a usage error (no service, or one that is not a shopmesh service), with 1 if the service fails to start "
      + "(a bad value of a setting, its port in use; SHOPMESH_GRPC_PORT set for up is every service's: add --grpc-port=0). " + RunCommand.STOPS})
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

  /**
   * {@code flags} finding the other services through the data directory's registry when the
   * environment names none (a --discovery among the flags comes later and wins): so a run on the
   * data directory of a ./shopmesh up joins that mesh.
   */
  static List<String> withDefaultRegistry(Map<String, String> environment, List<String> flags) {
    String set = environment.get("SHOPMESH_DISCOVERY");
    if (set != null && !set.isBlank()) {
      return flags;
    }
    List<String> all = new ArrayList<>(flags.size() + 1);
    all.add("--discovery=" + Discovery.IN_DATA_DIR);
    all.addAll(flags);
    return all;
  }

  @Override
  public Integer call() {
    Services.Service chosen = Services.named(service, Services.ALL).orElseThrow(() -> new ParameterException(
      spec.commandLine(), "unknown service '" + service + "'; choose one of " + Services.names(Services.ALL)));
    String[] args = withDefaultRegistry(System.getenv(), flags).toArray(String[]::new);
    try {
      startsAMeshOfItsOwn(Config.load(args), System.currentTimeMillis()).ifPresent(spec.commandLine().getErr()::println);
    } catch (IllegalArgumentException badFlag) {
      // The service says what is wrong with its flags, and exits.
    }
    // Returns once the service serves (its Vert.x threads keep the JVM running); exits by itself with
    // 2 on a bad flag and 1 if the service cannot start.
    Launcher.main(args, chosen.factory());
    return 0;
  }

  /**
   * What to tell the user when the data directory's registry holds no live replica: a run from
   * another working directory, without --data-dir, read another registry and quietly started a mesh
   * of its own, beside the ./shopmesh up it was meant to join. Every live registration's file is
   * renewed with each heartbeat (a second), so a file untouched for {@link #SILENT} is no replica.
   */
  static Optional<String> startsAMeshOfItsOwn(Config config, long nowMillis) {
    if (!config.get("DISCOVERY", "local").equals(Discovery.IN_DATA_DIR)) {
      return Optional.empty();
    }
    Path registry = Discovery.registryIn(config.dataDir()).toAbsolutePath().normalize();
    try (Stream<Path> files = Files.list(registry)) {
      if (files.filter(file -> file.getFileName().toString().endsWith(".json"))
        .anyMatch(file -> file.toFile().lastModified() >= nowMillis - SILENT.toMillis())) {
        return Optional.empty();
      }
    } catch (IOException e) {
      // No registry there yet: nothing runs on this data directory.
    }
    return Optional.of("no replica is registered in " + registry + ": this process starts a mesh of its own."
      + " To add it to a running ./shopmesh up, give it that up's data directory (--data-dir=…, as up printed),"
      + " or its SHOPMESH_DISCOVERY if that up's registry is Redis.");
  }

  private static final Duration SILENT = Duration.ofSeconds(10);
}
