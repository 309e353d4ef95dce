package dev.shopmesh.cli;

import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.FreePort;
import dev.shopmesh.platform.testing.Reachable;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code shopmesh up} stopped with SIGTERM (what Ctrl-C, {@code docker stop} and a scale-down send)
 * while an order is in flight: the order still completes and its client gets the answer, and the
 * mesh then exits by itself, within its grace period, without an error in its log.
 */
class UpGracefulStopTest {

  /** How long payment-service takes to answer each charge: the order is in flight this long. */
  static final int CHARGE_DELAY_MS = 2_000;

  @TempDir
  Path dir;
  Process mesh;
  // HTTP/1.1, as curl and ./shopmesh order send it. (Java 17's own HTTP/2 client fails every
  // stream of a connection on GOAWAY, even those the server goes on to answer: JDK-8335181.)
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

  @AfterEach
  void kill() throws InterruptedException {
    if (mesh != null) {
      mesh.destroyForcibly().waitFor();
    }
  }

  @Test
  void anOrderInFlightWhenTheMeshIsStoppedCompletesAndTheMeshExitsCleanly() throws Exception {
    int httpPort = FreePort.forAChild();
    String gateway = "http://127.0.0.1:" + httpPort;
    Path log = dir.resolve("mesh.log");
    ProcessBuilder child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-Xmx256m", "-XX:+UseSerialGC", "-Dvertx.cacheDirBase=" + dir.resolve("vertx-cache"),
      "-cp", System.getProperty("java.class.path"), ShopmeshCli.class.getName(),
      "up", "--data-dir", dir.resolve("data").toString(), "--grpc-port", String.valueOf(FreePort.forAChild()),
      "--http-port", String.valueOf(httpPort)))
      .redirectErrorStream(true).redirectOutput(log.toFile());
    child.environment().put("SHOPMESH_FAULT_CHARGE_REPLY_DELAY_MS", String.valueOf(CHARGE_DELAY_MS));
    mesh = child.start();
    Await.until("the mesh serves", Duration.ofSeconds(60), () -> get(gateway + "/health") == 200);

    CompletableFuture<HttpResponse<String>> order = http.sendAsync(HttpRequest.newBuilder(URI.create(gateway + "/api/orders"))
      .timeout(Duration.ofSeconds(20))
      .POST(HttpRequest.BodyPublishers.ofString(new JsonObject()
        .put("customerId", "graceful")
        .put("items", new JsonArray().add(new JsonObject().put("productId", "mug").put("quantity", 1)))
        .put("payment", new JsonObject().put("cardNumber", "4242424242424242").put("expiry", OrderLoad.TEST_CARD_EXPIRY).put("cvv", "123"))
        .encode()))
      .build(), HttpResponse.BodyHandlers.ofString());
    Await.until("the order is in flight at order-service", Duration.ofSeconds(10), () -> orderServiceInFlight(gateway) > 0);

    long stoppedAt = System.nanoTime();
    mesh.destroy();

    HttpResponse<String> answer = order.get(20, TimeUnit.SECONDS);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
    assertThat(new JsonObject(answer.body()).getString("status")).isEqualTo("CONFIRMED");
    assertThat(mesh.waitFor(15, TimeUnit.SECONDS)).as("the mesh exited").isTrue();
    System.out.printf("stopped %d ms after SIGTERM%n", (System.nanoTime() - stoppedAt) / 1_000_000);
    assertThat(Files.readAllLines(log)).filteredOn(line -> line.contains("\"ERROR\"") || line.contains("\"WARNING\""))
      .as("errors and warnings in the mesh's log").isEmpty();
  }

  int get(String url) {
    return Reachable.send(http, request(url)).map(HttpResponse::statusCode).orElse(0);
  }

  /** Calls the gateway has in flight at order-service, as {@code /api/mesh} shows them. */
  int orderServiceInFlight(String gateway) {
    return Reachable.send(http, request(gateway + "/api/mesh")).map(r -> new JsonObject(r.body()))
      .map(mesh -> mesh.getJsonArray("services").stream().map(JsonObject.class::cast)
        .filter(s -> s.getString("name").equals("order-service"))
        .flatMap(s -> s.getJsonArray("replicas").stream().map(JsonObject.class::cast))
        .mapToInt(r -> r.getInteger("inFlight")).sum())
      .orElse(0);
  }

  static HttpRequest request(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build();
  }
}
