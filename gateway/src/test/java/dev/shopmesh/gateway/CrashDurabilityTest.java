package dev.shopmesh.gateway;

import dev.shopmesh.platform.testing.Await;
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

import static org.assertj.core.api.Assertions.assertThat;

/** An order acknowledged with 201 survives {@code kill -9} of the whole stack (embedded store or PostgreSQL). */
class CrashDurabilityTest {

  @TempDir
  Path dir;

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final List<Process> children = new ArrayList<>();

  /** Every child killed, also when an assertion ended the test first. */
  @AfterEach
  void killChildren() throws InterruptedException {
    for (Process child : children) {
      child.destroyForcibly().waitFor();
    }
  }

  Process startMesh(Path portFile) throws IOException {
    Files.deleteIfExists(portFile);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // Vert.x's file cache in the test's directory: the child killed with -9 cannot delete it from /tmp.
    Process process = new ProcessBuilder(java, "-Dvertx.cacheDirBase=" + dir.resolve("vertx-cache"), "-cp", System.getProperty("java.class.path"),
      MeshProcess.class.getName(), dir.resolve("data").toString(), portFile.toString())
      .redirectErrorStream(true).redirectOutput(dir.resolve("mesh.log").toFile()).start();
    children.add(process);
    Await.until("the child mesh serves HTTP", Duration.ofSeconds(60), () -> Files.exists(portFile) || !process.isAlive());
    assertThat(process.isAlive()).as("child mesh is running (see mesh.log)").isTrue();
    return process;
  }

  HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void everyAcknowledgedOrderIsThereAfterSigkillAndRestart() throws Exception {
    Path portFile = dir.resolve("port");
    Process first = startMesh(portFile);
    String base = "http://127.0.0.1:" + Files.readString(portFile);
    List<String> acknowledged = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> placed = send(HttpRequest.newBuilder(URI.create(base + "/api/orders"))
        .POST(HttpRequest.BodyPublishers.ofString(Shop.order("mug", 1, Shop.APPROVED_CARD).encode())).build());
      assertThat(placed.statusCode()).isEqualTo(201);
      acknowledged.add(new JsonObject(placed.body()).getString("orderId"));
    }
    first.destroyForcibly().waitFor();

    startMesh(portFile);
    String again = "http://127.0.0.1:" + Files.readString(portFile);
    for (String id : acknowledged) {
      HttpResponse<String> read = send(HttpRequest.newBuilder(URI.create(again + "/api/orders/" + id)).GET().build());
      assertThat(read.statusCode()).as("order %s after kill -9", id).isEqualTo(200);
      assertThat(new JsonObject(read.body()).getString("status")).isEqualTo("CONFIRMED");
    }
  }
}
