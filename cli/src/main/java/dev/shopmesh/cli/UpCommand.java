package dev.shopmesh.cli;

import dev.shopmesh.catalog.CatalogVerticle;
import dev.shopmesh.gateway.GatewayVerticle;
import dev.shopmesh.order.OrderVerticle;
import dev.shopmesh.payment.PaymentVerticle;
import dev.shopmesh.platform.boot.Launcher;
import dev.shopmesh.platform.boot.MeshVerticle;
import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.log.Logs;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code shopmesh up}: every service of the mesh in this one JVM, until Ctrl-C or SIGTERM. */
@Command(
  name = "up",
  mixinStandardHelpOptions = true,
  description = {
    "Run the whole mesh (catalog, payment, order, gateway) in this process until Ctrl-C.",
    "Other settings come from SHOPMESH_* environment variables (see the README)."})
final class UpCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "./data",
    description = "Where the services keep their embedded databases (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--grpc-port", paramLabel = "N", defaultValue = "50051",
    description = "The gateway's gRPC port (default: ${DEFAULT-VALUE}).")
  int grpcPort;

  @Option(names = "--http-port", paramLabel = "N", defaultValue = "8080",
    description = "The gateway's HTTP/JSON port (default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Override
  public Integer call() {
    requirePort("--grpc-port", grpcPort);
    requirePort("--http-port", httpPort);
    // Absolute, so the log lines and the printed summary say exactly where the data is.
    String dir = dataDir.toAbsolutePath().normalize().toString();
    Config config = Config.load(new String[0]).with("DATA_DIR", dir);
    Logs.init(config.get("LOG_LEVEL", "INFO"));

    // Only the gateway is reached from outside; the others find each other through discovery.
    Config backend = config.with("GRPC_PORT", "0");
    Config gateway = config.with("GRPC_PORT", String.valueOf(grpcPort)).with("HTTP_PORT", String.valueOf(httpPort));
    List<MeshVerticle> calleesFirst = List.of(
      new CatalogVerticle(backend),
      new PaymentVerticle(backend),
      new OrderVerticle(backend),
      new GatewayVerticle(gateway));
    Launcher.runUntilShutdown(config, Launcher.start(Vertx.vertx(), calleesFirst));

    System.out.printf("shopmesh is up: http://localhost:%d/ (HTTP/JSON API under /api), grpc://localhost:%d "
      + "(greeting.GreetingService, shop.order.v1.OrderService)%n", httpPort, grpcPort);
    System.out.printf("data: %s%n", dir);
    System.out.println("Ctrl-C stops it.");
    return 0;
  }

  // Port 0 (any free port) would make the printed URLs wrong, so it is refused here.
  private void requirePort(String option, int port) {
    if (port < 1 || port > 65_535) {
      throw new ParameterException(spec.commandLine(), option + " must be between 1 and 65535, got " + port);
    }
  }
}
