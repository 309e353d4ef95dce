package dev.shopmesh.bench.serve;

import dev.shopmesh.catalog.CatalogVerticle;
import dev.shopmesh.gateway.GatewayVerticle;
import dev.shopmesh.order.OrderVerticle;
import dev.shopmesh.payment.PaymentVerticle;
import dev.shopmesh.platform.boot.Launcher;
import dev.shopmesh.platform.boot.Transports;
import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.discovery.Discovery;
import dev.shopmesh.platform.log.Logs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The gateway as {@code ./shopmesh up} runs it: the four services in one JVM on one Vert.x, talking
 * over gRPC on loopback, finding each other in the registry of a fresh temporary data directory, each
 * database in it (embedded SQLite), or all four in
 * one PostgreSQL database when given its URL. All four, not the gateway alone, because GET /health
 * answers 200 only when each of the gateway's dependencies has a replica.
 */
final class ShopmeshServer implements BenchServer {

  /** Start, fill and discovery settle in well under this on an idle machine. */
  private static final long READY_WITHIN_MS = 30_000;

  private final int stock;
  private final String dbUrl;
  private Path dataDir;
  private Launcher.Running running;

  /** The mesh the h2load scenarios measure: embedded store, {@link CatalogFill#DEFAULT_STOCK}. */
  ShopmeshServer() {
    this(CatalogFill.DEFAULT_STOCK, null);
  }

  /**
   * @param stock each imported product's stock (the order benchmark needs one unit an order)
   * @param dbUrl {@code SHOPMESH_DB_URL} for all four services, or null for embedded SQLite
   */
  ShopmeshServer(int stock, String dbUrl) {
    this.stock = stock;
    this.dbUrl = dbUrl;
  }

  @Override
  public Ports start() throws Exception {
    dataDir = Files.createTempDirectory("shopmesh-bench-");
    Map<String, String> settings = new HashMap<>(Map.of(
      "SHOPMESH_GRPC_PORT", "0",
      "SHOPMESH_HTTP_PORT", "0",
      "SHOPMESH_LOG_LEVEL", "WARNING",
      "SHOPMESH_DATA_DIR", dataDir.toString(),
      // As up has it: its heartbeats' file writes are part of what the mesh costs.
      "SHOPMESH_DISCOVERY", Discovery.IN_DATA_DIR,
      "SHOPMESH_TRANSPORT", ServeMain.transport()));
    if (dbUrl != null) {
      settings.put("SHOPMESH_DB_URL", dbUrl);
    }
    Config config = Config.of(settings);
    Logs.init(config);
    Vertx vertx = Transports.vertx(config);
    CatalogVerticle catalog = new CatalogVerticle(config);
    GatewayVerticle gateway = new GatewayVerticle(config);
    running = Launcher.start(vertx, List.of(catalog, new PaymentVerticle(config), new OrderVerticle(config), gateway))
      .await(READY_WITHIN_MS, TimeUnit.MILLISECONDS);
    GrpcClient grpc = GrpcClient.client(vertx);
    HttpClientAgent http = vertx.createHttpClient();
    try {
      CatalogFill.fill(grpc, SocketAddress.inetSocketAddress(catalog.grpcPort(), "127.0.0.1"), stock)
        .compose(imported -> untilHealthy(vertx, http, gateway.httpPort(), System.currentTimeMillis() + READY_WITHIN_MS))
        .await(READY_WITHIN_MS, TimeUnit.MILLISECONDS);
    } finally {
      grpc.close();
      http.close();
    }
    return new Ports(gateway.grpcPort(), gateway.httpPort());
  }

  /** The gateway learns of its dependencies through discovery, shortly after they register. */
  private static Future<Void> untilHealthy(Vertx vertx, HttpClientAgent http, int port, long deadline) {
    return http.request(HttpMethod.GET, port, "127.0.0.1", "/health")
      .compose(request -> request.send())
      .compose(response -> response.body().map(body -> response.statusCode()))
      .otherwise(-1)
      .compose(status -> {
        if (status == 200) {
          return Future.succeededFuture();
        }
        if (System.currentTimeMillis() > deadline) {
          return Future.failedFuture("GET /health still answers " + status);
        }
        return vertx.timer(100, TimeUnit.MILLISECONDS).compose(v -> untilHealthy(vertx, http, port, deadline));
      });
  }

  @Override
  public void stop() throws Exception {
    try {
      if (running != null) {
        running.stop(10_000);
      }
    } finally {
      deleteTree(dataDir);
    }
  }

  private static void deleteTree(Path dir) throws Exception {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
