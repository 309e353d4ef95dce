package dev.shopmesh.cli;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code shopmesh status} against a fake gateway: a Vert.x HTTP server on a free loopback port. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StatusCommandTest {

  private HttpServer server;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @AfterEach
  void stopServer() throws Exception {
    if (server != null) {
      server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** Answers GET /api/mesh with {@code status} and {@code body}, anything else with 404. */
  private String fakeGateway(Vertx vertx, int status, String body) throws Exception {
    server = vertx.createHttpServer().requestHandler(request -> {
      if (request.path().equals("/api/mesh")) {
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
      } else {
        request.response().setStatusCode(404).end();
      }
    });
    await(server.listen(0, "127.0.0.1"));
    return "http://127.0.0.1:" + server.actualPort();
  }

  private int status(String... args) {
    CommandLine cli = ShopmeshCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 1];
    all[0] = "status";
    System.arraycopy(args, 0, all, 1, args.length);
    return cli.execute(all);
  }

  @Test
  void printsTheMeshAsATable(Vertx vertx) throws Exception {
    String gateway = fakeGateway(vertx, 200, MeshTableTest.SAMPLE.encode());

    assertThat(status("--gateway", gateway + "/")).as("the sample's shipping-service has no replica").isEqualTo(1);
    assertThat(out.toString()).isEqualTo(MeshTable.format(MeshTableTest.SAMPLE)).contains("shipping-service: 0 replicas");
    assertThat(err.toString()).isEqualTo("no replica of shipping-service is registered (exit status 1)" + System.lineSeparator());
  }

  /** Every replica of a service registered but unhealthy (its database down): a script reading the exit status sees it. */
  @Test
  void aServiceWithNoHealthyReplicaExitsOne(Vertx vertx) throws Exception {
    JsonObject mesh = new JsonObject().put("strategy", "round-robin").put("services", new JsonArray()
      .add(new JsonObject().put("name", "catalog-service").put("replicas", new JsonArray()
        .add(new JsonObject().put("address", "h:1").put("healthy", false)).add(new JsonObject().put("address", "h:2").put("healthy", false))))
      .add(new JsonObject().put("name", "payment-service").put("replicas", new JsonArray()
        .add(new JsonObject().put("address", "h:3").put("healthy", false)).add(new JsonObject().put("address", "h:4").put("healthy", true)))));
    String gateway = fakeGateway(vertx, 200, mesh.encode());

    assertThat(status("--gateway", gateway)).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("no replica of catalog-service (2 registered) is healthy (exit status 1)" + System.lineSeparator());
  }

  @Test
  void printsTheRawJsonWhenAsked(Vertx vertx) throws Exception {
    String gateway = fakeGateway(vertx, 200, MeshTableTest.SAMPLE.encode());

    assertThat(status("--gateway", gateway, "--json")).isZero();
    assertThat(out.toString().strip()).isEqualTo(MeshTableTest.SAMPLE.encode());
    // As one writes an address: host and port, no scheme.
    assertThat(status("--gateway", gateway.substring("http://".length()), "--json")).isZero();
  }

  @Test
  void anErrorAnswerIsPrintedWithItsStatusAndBody(Vertx vertx) throws Exception {
    String gateway = fakeGateway(vertx, 503, "{\"error\":\"UNAVAILABLE\"}");

    assertThat(status("--gateway", gateway)).isEqualTo(1);
    assertThat(err.toString()).contains("HTTP 503", "{\"error\":\"UNAVAILABLE\"}");
    assertThat(out.toString()).isEmpty();
  }

  /**
   * Each table after the first shows the calls per second since the one before: 10 more calls at
   * every answer here, a second apart. An answer that fails is said on stderr, and the next rates
   * are since the last table.
   */
  @Test
  void watchShowsTheCallsPerSecondSinceTheTableBefore(Vertx vertx) throws Exception {
    int[] asked = {0};
    server = vertx.createHttpServer().requestHandler(request -> {
      if (++asked[0] == 3) {
        request.response().setStatusCode(503).end("{\"error\":\"UNAVAILABLE\"}");
        return;
      }
      request.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("strategy", "round-robin")
        .put("services", new JsonArray().add(new JsonObject().put("name", "catalog-service").put("replicas", new JsonArray()
          .add(new JsonObject().put("address", "h:1").put("healthy", true).put("calls", 10 * asked[0]))))).encode());
    });
    await(server.listen(0, "127.0.0.1"));

    assertThat(status("--gateway", "http://127.0.0.1:" + server.actualPort(), "--watch", "--interval", "1", "--count", "4")).isZero();
    String[] tables = out.toString().split("\\n\\n(?=per second|calls since)");
    assertThat(tables).hasSize(3);
    assertThat(tables[0]).startsWith("calls since each caller started").contains("CALLS ", "h:1", " 10 ");
    assertThat(tables[1]).startsWith("per second over the last").contains("CALLS/S").containsPattern("h:1 +yes +([5-9]|10)\\.\\d +100\\.0%");
    // 20 calls since the second table, over two intervals.
    assertThat(tables[2]).containsPattern("over the last [2-3]\\.\\d s").containsPattern("h:1 +yes +([5-9]|10)\\.\\d +100\\.0%");
    assertThat(err.toString()).contains("HTTP 503").doesNotContain("\tat ");
  }

  /** A script's `status --watch --count N` tells by its exit status whether the last look found the gateway. */
  @Test
  void aWatchWhoseLastLookFailedExitsOne() {
    assertThat(status("--gateway", "http://127.0.0.1:1", "--watch", "--interval", "1", "--count", "2")).isEqualTo(1);
    assertThat(out.toString()).as("no table").isEmpty();
  }

  @Test
  void watchAsksForAnIntervalOfASecondOrMore() {
    for (String interval : new String[] {"0.5", "NaN", "7200"}) {
      assertThat(status("--gateway", "http://127.0.0.1:1", "--watch", "--interval", interval)).as(interval).isEqualTo(2);
    }
    assertThat(err.toString()).contains("--interval must be 1 to 3600 seconds, got 0.5", "got NaN", "got 7200.0");
  }

  @Test
  void countAndIntervalWithoutWatchAreRefusedNotIgnored() {
    assertThat(status("--gateway", "http://127.0.0.1:1", "--count", "2")).isEqualTo(2);
    assertThat(err.toString()).contains("--count goes with --watch");
    assertThat(status("--gateway", "http://127.0.0.1:1", "--interval=5")).isEqualTo(2);
    assertThat(err.toString()).contains("--interval goes with --watch");
  }

  @Test
  void watchTakesNoJson() {
    assertThat(status("--gateway", "http://127.0.0.1:1", "--watch", "--json")).isEqualTo(2);
    assertThat(err.toString()).contains("--watch shows tables: leave out --json");
  }

  @Test
  void aGatewayThatIsNotRunningIsReportedInOneLine() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    assertThat(status("--gateway", "http://127.0.0.1:" + closedPort)).isEqualTo(1);
    assertThat(err.toString())
      .startsWith("cannot reach the gateway at http://127.0.0.1:" + closedPort + ": ")
      .contains("./shopmesh up");
    assertThat(err.toString().strip()).doesNotContain("\n");
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
