package dev.shopmesh.cli;

import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.FreePort;
import dev.shopmesh.platform.testing.Reachable;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/scaling.md's local scaling, with no Docker and no Redis: {@code ./shopmesh up}, then from
 * another terminal {@code ./shopmesh run catalog-service --data-dir=…} on the same data directory.
 * The new process joins the running mesh as a second catalog replica, takes its share of the calls
 * without anyone restarting, and leaves it when stopped.
 */
class RunJoinsUpTest {

  @TempDir
  Path dir;
  final List<Process> processes = new ArrayList<>();
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
  String gateway;

  @AfterEach
  void kill() throws InterruptedException {
    for (Process process : processes) {
      process.destroyForcibly().waitFor();
    }
  }

  Process shopmesh(String name, String... args) throws IOException {
    return shopmesh(name, Map.of(), args);
  }

  Process shopmesh(String name, Map<String, String> environment, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-Xmx256m", "-XX:+UseSerialGC", "-Dvertx.cacheDirBase=" + dir.resolve("vertx-cache-" + name),
      "-cp", System.getProperty("java.class.path"), ShopmeshCli.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
    // As a user's shell has it: no registry named, so both take the data directory's.
    child.environment().remove("SHOPMESH_DISCOVERY");
    child.environment().putAll(environment);
    Process process = child.start();
    processes.add(process);
    return process;
  }

  @Test
  void aServiceRunOnTheDataDirectoryOfUpJoinsItsMeshTakesCallsAndLeavesWhenStopped() throws Exception {
    int httpPort = FreePort.forAChild();
    gateway = "http://127.0.0.1:" + httpPort;
    String data = dir.resolve("data").toString();
    // A misspelt setting, and one of PostgreSQL's, which the embedded store does not read.
    shopmesh("up", Map.of("SHOPMESH_RPC_DEADLNE_MS", "100", "SHOPMESH_DB_POOL_SIZE", "4"), "up", "--data-dir", data, "--grpc-port", String.valueOf(FreePort.forAChild()), "--http-port", String.valueOf(httpPort));
    Await.until("the mesh serves", Duration.ofSeconds(90), () -> catalogReplicas().size() == 1);
    String first = catalogReplicas().firstKey();
    // Each told once: the typo with the setting it misspells, the other as one nothing here reads.
    Await.until("up's warnings", Duration.ofSeconds(30), () -> upLog().contains("not used by any service"));
    assertThat(upLog()).contains("ignored, as no setting read here: SHOPMESH_RPC_DEADLNE_MS (did you mean SHOPMESH_RPC_DEADLINE_MS?)")
      .contains("not used by any service as configured: SHOPMESH_DB_POOL_SIZE (a setting of another configuration");
    assertThat(upLog().split("SHOPMESH_RPC_DEADLNE_MS", -1)).as("the typo told once").hasSize(2);

    // As a user does: the command up's banner prints, pasted.
    Await.until("up's banner", Duration.ofSeconds(30), () -> upLog().contains("one replica more"));
    String printed = upLog().lines().filter(line -> line.startsWith("one replica more"))
      .findFirst().orElseThrow(() -> new AssertionError("up printed no command for a replica more"));
    assertThat(printed).endsWith(": ./shopmesh run catalog-service --data-dir=" + data);
    Process joined = shopmesh("run", printed.substring(printed.indexOf("./shopmesh ") + "./shopmesh ".length()).split(" "));
    Await.until("a second catalog replica in the gateway's view", Duration.ofSeconds(60), () -> catalogReplicas().size() == 2);
    Await.until("both catalog replicas answer the gateway's calls", Duration.ofSeconds(30), () -> {
      // Each call answered at once: a replica joining is no reason for a client to see an error.
      for (int i = 0; i < 10; i++) {
        assertThat(status(gateway + "/api/products/mug")).isEqualTo(200);
      }
      return catalogReplicas().values().stream().allMatch(r -> r.getLong("served", 0L) > 0);
    });

    joined.destroy();
    assertThat(joined.waitFor(30, TimeUnit.SECONDS)).as("the joined replica exits on SIGTERM").isTrue();
    Await.until("the stopped replica leaves the view", Duration.ofSeconds(10), () -> catalogReplicas().keySet().equals(java.util.Set.of(first)));
    assertThat(status(gateway + "/api/products/mug")).isEqualTo(200);
    assertThat(Files.readAllLines(dir.resolve("run.log"))).filteredOn(line -> line.contains("\"ERROR\"") || line.contains("\"WARNING\"")
        || line.contains("a mesh of its own"))
      .as("errors, warnings and a note of starting alone in the joined replica's log").isEmpty();
  }

  String upLog() {
    try {
      return Files.readString(dir.resolve("up.log"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  int status(String url) {
    return Reachable.send(http, HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build())
      .map(HttpResponse::statusCode).orElse(0);
  }

  /** host:port to the calls its own server answered (health checks left out), as {@code served}, from the gateway's /api/mesh. */
  TreeMap<String, JsonObject> catalogReplicas() {
    TreeMap<String, JsonObject> rows = new TreeMap<>();
    Reachable.send(http, HttpRequest.newBuilder(URI.create(gateway + "/api/mesh")).timeout(Duration.ofSeconds(5)).build())
      .filter(r -> r.statusCode() == 200).map(r -> new JsonObject(r.body()))
      .ifPresent(mesh -> mesh.getJsonArray("services", new JsonArray()).stream().map(JsonObject.class::cast)
        .filter(s -> s.getString("name").equals("catalog-service"))
        .flatMap(s -> s.getJsonArray("replicas").stream().map(JsonObject.class::cast))
        .forEach(r -> rows.put(r.getString("address"), new JsonObject().put("served", MeshTable.answered(r, code -> true)))));
    return rows;
  }
}
