package dev.shopmesh.cli;

import dev.shopmesh.platform.boot.Launcher;
import dev.shopmesh.platform.boot.MeshVerticle;
import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.discovery.Discovery;
import dev.shopmesh.platform.log.Logs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code shopmesh up}: every service of the mesh in this one JVM, until Ctrl-C or SIGTERM. */
@Command(
  name = "up",
  mixinStandardHelpOptions = true,
  description = {
    "Run the whole mesh, every backend service and the gateway, in this process until Ctrl-C.",
    "--replicas runs more than one replica of a backend service, each on its own gRPC port; "
      + "./shopmesh status shows how the load balancers spread calls over them.",
    "Other settings come from SHOPMESH_* environment variables (see the README); SHOPMESH_DATA_DIR, "
      + "SHOPMESH_GRPC_PORT and SHOPMESH_HTTP_PORT are these options' defaults.",
    "Exits with 2 on a bad option or setting, a port in use or a data directory another up runs on; with 1 if a service "
      + "fails to start. " + RunCommand.STOPS})
final class UpCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:SHOPMESH_DATA_DIR:-./data}",
    description = "Where the services keep their embedded databases (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--grpc-port", paramLabel = "N", defaultValue = "${env:SHOPMESH_GRPC_PORT:-50051}",
    description = "The gateway's gRPC port (default: ${DEFAULT-VALUE}).")
  int grpcPort;

  @Option(names = "--http-port", paramLabel = "N", defaultValue = "${env:SHOPMESH_HTTP_PORT:-8080}",
    description = "The gateway's HTTP/JSON port (default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(names = "--replicas", paramLabel = "SERVICE=N[,SERVICE=N...]", converter = ReplicaCounts.Converter.class,
    completionCandidates = Services.BackendNames.class,
    description = {
      "Replicas per backend service, 1 to " + ReplicaCounts.MAX + ", e.g. catalog-service=3,payment-service=2.",
      "Services: ${COMPLETION-CANDIDATES}; one replica of each not named. The gateway runs once."})
  ReplicaCounts replicas = ReplicaCounts.ONE_EACH;

  @Override
  public Integer call() {
    if (dataDir.toString().isBlank()) {
      // Read as a path, an empty one is the current directory: the databases went wherever up ran.
      throw new ParameterException(spec.commandLine(), "--data-dir must name a directory, got an empty value");
    }
    requirePort("--grpc-port", grpcPort);
    requirePort("--http-port", httpPort);
    if (grpcPort == httpPort) {
      // Both servers would bind it, and the kernel would hand connections to each in turn.
      throw new ParameterException(spec.commandLine(), "--grpc-port and --http-port must differ, both are " + grpcPort);
    }
    // Before any service starts: else three backends would start on this data directory, beside
    // the mesh that holds the port, before the gateway found it taken.
    requireFree("--grpc-port", grpcPort);
    requireFree("--http-port", httpPort);
    requireOwnDataDir();
    // Absolute, so the log lines and the printed summary say exactly where the data is.
    String dir = dataDir.toAbsolutePath().normalize().toString();
    Config loaded = Config.load(new String[0]).with("DATA_DIR", dir);
    // The registry in the data directory, unless another is set: a ./shopmesh run of a service on
    // that directory then joins this mesh, as a replica more, without a restart.
    Config config = loaded.find("DISCOVERY").isPresent() ? loaded : loaded.with("DISCOVERY", Discovery.IN_DATA_DIR);
    try {
      Logs.init(config);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }

    // Only the gateway is reached from outside; the others find each other through discovery.
    Config backend = config.with("GRPC_PORT", "0");
    Config gateway = config.with("GRPC_PORT", String.valueOf(grpcPort)).with("HTTP_PORT", String.valueOf(httpPort));
    // Every replica of a service before any of its callers', each on a free port of its own.
    List<MeshVerticle> calleesFirst = new ArrayList<>();
    for (Services.Service service : Services.BACKENDS) {
      for (int i = 0; i < replicas.of(service.name()); i++) {
        calleesFirst.add(service.factory().apply(backend));
      }
    }
    calleesFirst.add(Services.GATEWAY.factory().apply(gateway));
    Launcher.runUntilShutdown(config, Launcher.start(Launcher.vertxOrExit(config), calleesFirst));
    // The launcher warned of those near a setting read (typos); every service has read its settings
    // by now, so the rest are settings of another configuration (SHOPMESH_DB_POOL_SIZE on the
    // embedded store) or typos too far off to guess: either way they do nothing.
    List<String> unread = new ArrayList<>(config.unreadVariables(OTHER_TOOLS_VARIABLES));
    unread.removeAll(config.misspeltVariables());
    if (!unread.isEmpty()) {
      Logs.logger("launcher").warning("not used by any service as configured: " + String.join(", ", unread)
        + " (a setting of another configuration, such as PostgreSQL's on the embedded store, or a typo;"
        + " the README lists the settings)");
    }

    boolean tls = config.find("TLS_CERT_FILE").isPresent();
    String http = (tls ? "https://" : "http://") + Gateway.reachedAt(config.get("HTTP_HOST", config.get("HOST", "127.0.0.1"))) + ":" + httpPort;
    System.out.printf("shopmesh is up: %s/ (HTTP/JSON API under /api), %s://%s:%d "
      + "(greeting.GreetingService, shop.order.v1.OrderService, shop.catalog.v1.CatalogService reads)%n",
      http, tls ? "grpcs" : "grpc", Gateway.reachedAt(config.get("HOST", "127.0.0.1")), grpcPort);
    // Where the data and the registry are, when not both in the data directory: the line said the
    // data directory alone under PostgreSQL and Redis too.
    String db = config.get("DB_URL", "");
    System.out.printf("data: %s%s%n", dir, db.isEmpty() ? "" : db.startsWith("postgres") ? " (the databases: PostgreSQL, SHOPMESH_DB_URL)"
      : " (the database: SHOPMESH_DB_URL)");
    if (config.get("DISCOVERY", "").startsWith("redis://")) {
      System.out.printf("registry: Redis (SHOPMESH_DISCOVERY)%n");
    }
    nextSteps(http, System.getenv(), dir, config.get("DISCOVERY", "").equals(Discovery.IN_DATA_DIR), !db.isEmpty())
      .forEach(System.out::println);
    replicas.counts().forEach((service, n) -> System.out.println(service + ": " + replicaCount(n)));
    System.out.println(Services.GATEWAY.name() + ": " + replicaCount(1));
    System.out.println("Ctrl-C stops it.");
    return 0;
  }

  /**
   * The commands to run next, as a user can paste them into another terminal, whose environment is
   * {@code env}: {@code --gateway} where the other commands would not find this gateway by
   * themselves (its port given as a flag, not in the environment they read too: they looked on
   * 8080, "is the mesh running?"), and a replica more on a port of its own where
   * {@code SHOPMESH_GRPC_PORT}, this gateway's, would have given it the gateway's port.
   *
   * @param registryInDataDir whether a {@code ./shopmesh run} on {@code dir} joins this mesh
   * @param ownDatabase whether {@code SHOPMESH_DB_URL} names the store (the replica needs the same)
   */
  static List<String> nextSteps(String http, Map<String, String> env, String dir, boolean registryInDataDir, boolean ownDatabase) {
    String gateway = http.equals(Gateway.defaultUrl(env)) ? "" : " --gateway " + http;
    List<String> lines = new ArrayList<>();
    lines.add("the replicas and their share of the calls: " + http + "/mesh, or ./shopmesh status --watch" + gateway);
    lines.add("test orders: ./shopmesh order --count 200" + gateway + ", then ./shopmesh audit" + gateway);
    if (registryInDataDir) {
      // The store too: a replica on another would split the service's data (MeshVerticle refuses it).
      lines.add("one replica more, from another terminal" + (ownDatabase ? " with the same SHOPMESH_DB_URL" : "")
        + ": ./shopmesh run catalog-service --data-dir=" + ShellWord.of(dir) + (env.containsKey("SHOPMESH_GRPC_PORT") ? " --grpc-port=0" : ""));
    }
    return lines;
  }

  /**
   * What up reads itself (its data directory, also with PostgreSQL) and docker compose reads
   * (docker-compose.yml), not the services: no typo when set.
   */
  static final Set<String> OTHER_TOOLS_VARIABLES = Set.of("SHOPMESH_DATA_DIR", "SHOPMESH_JRE_IMAGE", "SHOPMESH_POSTGRES_IMAGE",
    "SHOPMESH_REDIS_IMAGE", "SHOPMESH_PROMETHEUS_IMAGE", "SHOPMESH_HTTP_PUBLISH", "SHOPMESH_GRPC_PUBLISH", "SHOPMESH_PROMETHEUS_PUBLISH");

  static String replicaCount(int n) {
    return n + (n == 1 ? " replica" : " replicas");
  }

  // Port 0 (any free port) would make the printed URLs wrong, so it is refused here.
  private void requirePort(String option, int port) {
    if (port < 1 || port > 65_535) {
      // Not given on the command line: it came from the environment, which is what to change.
      String from = spec.commandLine().getParseResult().hasMatchedOption(option) ? ""
        : " (from " + ShopmeshCli.environmentVariable(option) + ")";
      throw new ParameterException(spec.commandLine(), option + " must be between 1 and 65535, got " + port + from);
    }
  }

  /** Held until this process exits: the data directory's lock (see {@link #requireOwnDataDir()}). */
  private static FileChannel dataDirLock;

  /**
   * A second mesh on the same data directory would share its databases with the first, each
   * sweeping the other's orders as interrupted, their writers waiting on each other's locks
   * (separate processes sharing a directory are for ./shopmesh run, one service each).
   */
  private void requireOwnDataDir() {
    Path lockFile = dataDir.resolve(".up.lock");
    try {
      Files.createDirectories(dataDir);
      FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        throw inUse();
      }
      dataDirLock = channel;
    } catch (OverlappingFileLockException e) {
      throw inUse();
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), "--data-dir " + dataDir + " cannot be used: " + FailureWords.describe(e));
    }
  }

  private ParameterException inUse() {
    return new ParameterException(spec.commandLine(), "--data-dir " + dataDir
      + " is in use by another ./shopmesh up: stop it, or choose another directory");
  }

  private void requireFree(String option, int port) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), option + " " + port
        + " is in use by another process (another ./shopmesh up?): stop it, or choose another port");
    }
  }
}
