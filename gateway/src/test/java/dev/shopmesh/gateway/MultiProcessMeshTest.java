package dev.shopmesh.gateway;

import dev.shopmesh.catalog.CatalogMain;
import dev.shopmesh.order.OrderMain;
import dev.shopmesh.payment.PaymentMain;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.FreePort;
import dev.shopmesh.platform.testing.Reachable;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every service as its own OS process, registered in a shared registry: 3 catalog, 1 payment, 2
 * order replicas and the gateway. While orders flow, one catalog replica is killed with SIGKILL and
 * a fourth one started: no order fails, the dead one leaves the mesh within its lease, the new one
 * takes calls within seconds, without restarting anyone. The registry is Redis (needs redis-server,
 * which CI installs), or the data directory's files that ./shopmesh up and run share.
 */
class MultiProcessMeshTest {

  @TempDir
  Path dir;
  final List<Process> processes = new ArrayList<>();
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  /** The --discovery every process gets. */
  String registry;
  String gateway;

  /** Each child killed and waited for, before JUnit deletes the directory they write to. */
  @AfterEach
  void stopAll() throws InterruptedException {
    for (Process process : processes) {
      process.destroyForcibly().waitFor();
    }
  }

  static boolean onPath(String command) {
    return System.getenv("PATH").lines().flatMap(p -> List.of(p.split(":")).stream())
      .anyMatch(p -> Path.of(p, command).toFile().canExecute());
  }

  Process spawn(String name, List<String> command) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
      .redirectOutput(dir.resolve(name + ".log").toFile()).start();
    processes.add(process);
    return process;
  }

  Process service(String name, Class<?> main, String... flags) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
      // Vert.x's file cache in the test's directory: a child killed with -9 cannot delete it from /tmp.
      "-Dvertx.cacheDirBase=" + dir.resolve("vertx-cache"),
      "-cp", System.getProperty("java.class.path"), main.getName(),
      "--discovery=" + registry, "--data-dir=" + dir.resolve("data"), "--log-level=WARNING",
      // A short lease, so that the test sees a killed replica leave the mesh quickly.
      "--lease-ms=2000", "--heartbeat-ms=500"));
    String db = System.getenv("SHOPMESH_DB_URL");
    if (db != null && !db.isBlank()) {
      command.add("--db-url=" + db);
    }
    command.addAll(List.of(flags));
    return spawn(name, command);
  }

  /** Starts catalog replica {@code n} on a port of its own, so the test knows which process is which. */
  void catalog(Map<String, Process> catalogs, int n) throws IOException {
    int port = FreePort.forAChild();
    catalogs.put("127.0.0.1:" + port, service("catalog-" + n, CatalogMain.class, "--grpc-port=" + port));
  }

  JsonObject mesh() {
    return Reachable.send(http, HttpRequest.newBuilder(URI.create(gateway + "/api/mesh")).timeout(Duration.ofSeconds(5)).build())
      .filter(r -> r.statusCode() == 200).map(r -> new JsonObject(r.body())).orElseGet(JsonObject::new);
  }

  /** host:port to the replica's row in /api/mesh, for one service. */
  Map<String, JsonObject> replicas(String service) {
    Map<String, JsonObject> rows = new java.util.TreeMap<>();
    mesh().getJsonArray("services", new JsonArray()).stream().map(JsonObject.class::cast)
      .filter(s -> s.getString("name").equals(service))
      .forEach(s -> s.getJsonArray("replicas").stream().map(JsonObject.class::cast)
        .forEach(r -> rows.put(r.getString("address"), r)));
    return rows;
  }

  /** Places one order, once (no client-side retry: the mesh must absorb the failure); answers the HTTP code. */
  int placeOrder() {
    return Reachable.send(http, HttpRequest.newBuilder(URI.create(gateway + "/api/orders")).timeout(Duration.ofSeconds(10))
      .POST(HttpRequest.BodyPublishers.ofString(Shop.order("mug", 1, Shop.APPROVED_CARD).encode())).build())
      .map(HttpResponse::statusCode).orElse(0);
  }

  @ParameterizedTest(name = "registry: {0}")
  @ValueSource(strings = {"redis", "dir"})
  void killingAReplicaFailsNoOrderAndANewReplicaTakesCallsWithoutARestart(String kind) throws Exception {
    if (kind.equals("redis")) {
      assumeTrue(onPath("redis-server"), "redis-server is not installed (apt-get install redis-server)");
      int redisPort = FreePort.forAChild();
      spawn("redis", List.of("redis-server", "--port", String.valueOf(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"));
      registry = "redis://127.0.0.1:" + redisPort;
    } else {
      registry = kind;
    }
    int httpPort = FreePort.forAChild();
    gateway = "http://127.0.0.1:" + httpPort;

    // The gateway first: the test watches the mesh through its /api/mesh.
    service("gateway", GatewayMain.class, "--http-port=" + httpPort, "--grpc-port=" + FreePort.forAChild());
    // The first catalog replica seeds the catalog; the others start once it serves.
    Map<String, Process> catalogs = new java.util.LinkedHashMap<>();
    catalog(catalogs, 1);
    Await.until("the first catalog replica registers", Duration.ofSeconds(60), () -> replicas("catalog-service").size() == 1);
    catalog(catalogs, 2);
    catalog(catalogs, 3);
    service("payment-1", PaymentMain.class);
    service("order-1", OrderMain.class);
    service("order-2", OrderMain.class);
    Await.until("3 catalog, 1 payment and 2 order replicas registered", Duration.ofSeconds(90),
      () -> replicas("catalog-service").size() == 3 && replicas("payment-service").size() == 1
        && replicas("order-service").size() == 2);

    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger placed = new AtomicInteger();
    List<Integer> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    Thread load = new Thread(() -> {
      while (running.get()) {
        int code = placeOrder();
        placed.incrementAndGet();
        if (code != 201) {
          failures.add(code);
        }
      }
    });
    load.start();
    try {
      Await.until("orders flow", Duration.ofSeconds(30), () -> placed.get() >= 50);

      String victim = catalogs.keySet().stream().skip(1).findFirst().orElseThrow();
      catalogs.get(victim).destroyForcibly().waitFor();
      long killedAt = System.nanoTime();
      Await.until("the killed replica leaves the mesh", Duration.ofSeconds(10), () -> !replicas("catalog-service").containsKey(victim));
      System.out.printf("killed catalog replica %s left the mesh after %d ms%n", victim, (System.nanoTime() - killedAt) / 1_000_000);

      catalog(catalogs, 4);
      Await.until("a fourth catalog replica registers", Duration.ofSeconds(60), () -> replicas("catalog-service").size() == 3);
      long joinedAt = System.nanoTime();
      Await.until("the new replica takes calls", Duration.ofSeconds(5), () -> replicas("catalog-service").values().stream()
        .allMatch(r -> r.getLong("calls") > 0));
      long tookMs = (System.nanoTime() - joinedAt) / 1_000_000;
      System.out.printf("new catalog replica took calls %d ms after registering (counters lag by up to one heartbeat)%n", tookMs);
      int before = placed.get();
      Await.until("more orders flow", Duration.ofSeconds(30), () -> placed.get() >= before + 30);
    } finally {
      running.set(false);
      load.join(30_000);
    }
    System.out.printf("orders placed: %d, failed: %d %s%n", placed.get(), failures.size(), failures);
    assertThat(failures).as("orders that failed").isEmpty();
  }
}
