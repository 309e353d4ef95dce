package dev.shopmesh.cli;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code shopmesh audit} against a fake gateway: a Vert.x HTTP server on a free loopback port. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuditCommandTest {

  @TempDir
  Path dir;

  private HttpServer server;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  /** How often GET /api/audit was asked, and the most GET /api/orders/{id} in flight at once. */
  private final AtomicInteger audits = new AtomicInteger();
  private final AtomicInteger ordersInFlight = new AtomicInteger();
  private final AtomicInteger mostOrdersInFlight = new AtomicInteger();
  /** How many of the first GET /api/audit the fake answers 503, as while payment-service restarts. */
  private int auditsUnavailable;

  @AfterEach
  void stopServer() throws Exception {
    if (server != null) {
      FakeGateway.await(server.close());
    }
  }

  /**
   * Answers GET /api/audit with {@code audits} in turn (the last one from then on), and
   * GET /api/orders/{id} with the order's status from {@code orders} after {@code delayMillis},
   * 404 for an id it does not hold.
   */
  private String fakeGateway(Vertx vertx, List<JsonObject> answers, Map<String, String> orders, long delayMillis) throws Exception {
    server = vertx.createHttpServer().requestHandler(request -> {
      if (request.path().equals("/api/audit")) {
        int n = audits.getAndIncrement();
        if (n < auditsUnavailable) {
          request.response().setStatusCode(503).putHeader("Content-Type", "application/json").end(new JsonObject()
            .put("error", "UNAVAILABLE").put("message", "no replica of payment-service is registered").encode());
          return;
        }
        n -= auditsUnavailable;
        request.response().putHeader("Content-Type", "application/json")
          .end(answers.get(Math.min(n, answers.size() - 1)).encode());
      } else if (request.path().startsWith("/api/orders/")) {
        mostOrdersInFlight.accumulateAndGet(ordersInFlight.incrementAndGet(), Math::max);
        String id = request.path().substring("/api/orders/".length());
        Runnable answer = () -> {
          ordersInFlight.decrementAndGet();
          String status = orders.get(id);
          if (status == null) {
            request.response().setStatusCode(404).putHeader("Content-Type", "application/json")
              .end(new JsonObject().put("error", "NOT_FOUND").encode());
          } else {
            request.response().putHeader("Content-Type", "application/json")
              .end(new JsonObject().put("orderId", id).put("status", status).encode());
          }
        };
        if (delayMillis > 0) {
          vertx.setTimer(delayMillis, t -> answer.run());
        } else {
          answer.run();
        }
      } else {
        request.response().setStatusCode(404).end();
      }
    });
    FakeGateway.await(server.listen(0, "127.0.0.1"));
    return "http://127.0.0.1:" + server.actualPort();
  }

  private int audit(String... args) {
    CommandLine cli = ShopmeshCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 1];
    all[0] = "audit";
    System.arraycopy(args, 0, all, 1, args.length);
    return cli.execute(all);
  }

  private List<String> outLines() {
    return out.toString().lines().toList();
  }

  private Path idsFile(List<String> ids) throws Exception {
    Path file = dir.resolve("orders.acked");
    Files.write(file, ids);
    return file;
  }

  private static Map<String, String> confirmed(List<String> ids) {
    return ids.stream().collect(Collectors.toMap(id -> id, id -> "CONFIRMED"));
  }

  @Test
  void waitsForThePendingOrdersThenPasses(Vertx vertx) throws Exception {
    List<String> ids = List.of("o-1", "o-2", "o-3");
    String url = fakeGateway(vertx, List.of(AuditReportTest.clean(2), AuditReportTest.clean(0)), confirmed(ids), 0);

    int exit = audit("--gateway", url + "/", "--ids-file", idsFile(ids).toString(), "--settle-seconds", "10");

    assertThat(exit).isZero();
    assertThat(audits).hasValue(2);
    assertThat(outLines()).first().asString().isEqualTo("waiting up to 10 s for the pending orders to end (2 now)...");
    assertThat(outLines()).contains("lost orders: 0 (of 3 acknowledged)", "double charges: 0", "leaked stock: 0 reservations",
      "orders still pending: 0");
    assertThat(outLines()).last().isEqualTo("AUDIT PASSED: 0 lost orders, 0 double charges, 0 leaked stock");
    assertThat(err.toString()).isEmpty();
  }

  /**
   * Orders failed while payment-service was cut off from the network: their charges are refunded by
   * order-service's sweep seconds later. Audited at once, they failed the audit as leaked.
   */
  @Test
  void waitsForTheRefundsOwedByFailedOrders(Vertx vertx) throws Exception {
    JsonObject owed = AuditReportTest.clean(0);
    owed.getJsonObject("violations").getJsonArray("chargesWithoutConfirmedOrder")
      .add(new JsonObject().put("orderId", "o-2").put("chargeId", "c-2").put("status", "APPROVED"));
    owed.put("violationCounts", new JsonObject().put("chargesWithoutConfirmedOrder", 64));
    String url = fakeGateway(vertx, List.of(owed, owed, AuditReportTest.clean(0)), Map.of(), 0);

    int exit = audit("--gateway", url, "--settle-seconds", "10");

    assertThat(exit).isZero();
    assertThat(audits).hasValue(3);
    assertThat(outLines()).first().asString()
      .isEqualTo("waiting up to 10 s for the refunds and stock releases owed by failed orders to be made (64 now)...");
    assertThat(outLines()).contains("charges without a confirmed order: 0");
    assertThat(outLines()).last().asString().startsWith("AUDIT PASSED");
  }

  /** Stock held by a failed order is released by the sweep too: waited for, not reported as leaked. */
  @Test
  void waitsForTheStockReleasesOwedByFailedOrders(Vertx vertx) throws Exception {
    JsonObject owed = AuditReportTest.clean(0);
    owed.getJsonObject("violations").getJsonArray("leakedStock").add(new JsonObject().put("reservationId", "o-2")
      .put("productId", "mug").put("quantity", 1).put("orderStatus", "REJECTED"));
    String url = fakeGateway(vertx, List.of(owed, AuditReportTest.clean(0)), Map.of(), 0);

    int exit = audit("--gateway", url, "--settle-seconds", "10");

    assertThat(exit).isZero();
    assertThat(audits).hasValue(2);
    assertThat(outLines()).first().asString()
      .isEqualTo("waiting up to 10 s for the refunds and stock releases owed by failed orders to be made (1 now)...");
    assertThat(outLines()).last().asString().startsWith("AUDIT PASSED");
  }

  /**
   * The audit run as soon as a load ends, while the payment-service it killed is still starting:
   * the gateway answers 503 until the replica is registered. The audit failed at once.
   */
  @Test
  void waitsForARestartingServiceToAnswer(Vertx vertx) throws Exception {
    auditsUnavailable = 2;
    String url = fakeGateway(vertx, List.of(AuditReportTest.clean(0)), Map.of(), 0);

    int exit = audit("--gateway", url, "--settle-seconds", "10");

    assertThat(exit).isZero();
    assertThat(audits).hasValue(3);
    assertThat(outLines()).first().asString().isEqualTo("waiting up to 10 s for the gateway to answer the audit (the gateway at "
      + url + " answered GET /api/audit with HTTP 503: {\"error\":\"UNAVAILABLE\",\"message\":\"no replica of payment-service is"
      + " registered\"})...");
    assertThat(outLines()).element(1).asString().startsWith("settled after ");
    assertThat(outLines()).last().asString().startsWith("AUDIT PASSED");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void aServiceStillDownWhenTheSettlingTimeIsUpIsReportedInOneLine(Vertx vertx) throws Exception {
    auditsUnavailable = Integer.MAX_VALUE;
    String url = fakeGateway(vertx, List.of(AuditReportTest.clean(0)), Map.of(), 0);

    int exit = audit("--gateway", url, "--settle-seconds", "2");

    assertThat(exit).isEqualTo(1);
    assertThat(audits.get()).as("asked every 500 ms for 2 s").isBetween(2, 5);
    assertThat(err.toString().strip()).isEqualTo("the gateway at " + url + " answered GET /api/audit with HTTP 503: "
      + "{\"error\":\"UNAVAILABLE\",\"message\":\"no replica of payment-service is registered\"}");
    assertThat(outLines()).last().isEqualTo(AuditCommand.NOT_MADE);
  }

  @Test
  void anAcknowledgedOrderTheGatewayDoesNotKnowIsLost(Vertx vertx) throws Exception {
    List<String> ids = IntStream.rangeClosed(1, 40).mapToObj(i -> "o-" + i).toList();
    Map<String, String> orders = new HashMap<>(confirmed(ids));
    orders.remove("o-17");
    orders.put("o-30", "PENDING");
    // Each order answer takes 20 ms, so the audit's requests overlap.
    String url = fakeGateway(vertx, List.of(AuditReportTest.clean(0)), orders, 20);

    int exit = audit("--gateway", url, "--ids-file", idsFile(ids).toString());

    assertThat(exit).isEqualTo(1);
    assertThat(outLines()).contains("lost orders: 2 (of 40 acknowledged): 1 not found, 1 still pending: o-17, o-30");
    assertThat(outLines()).last().isEqualTo("AUDIT FAILED: 2 lost orders");
    assertThat(mostOrdersInFlight.get()).isBetween(2, AuditCommand.CONCURRENCY);
  }

  @Test
  void ordersStillPendingWhenTheSettlingTimeIsUpFail(Vertx vertx) throws Exception {
    List<String> ids = List.of("o-1");
    String url = fakeGateway(vertx, List.of(AuditReportTest.clean(1)), confirmed(ids), 0);

    int exit = audit("--gateway", url, "--ids-file", idsFile(ids).toString(), "--settle-seconds", "0.6");

    assertThat(exit).isEqualTo(1);
    // Polled every 500 ms for 0.6 s: at 0, 0.5 and 0.6 s.
    assertThat(audits.get()).isBetween(2, 4);
    assertThat(out.toString()).contains("gave up waiting after", "still 1 pending, 0 refunds or stock releases owed");
    assertThat(outLines()).contains("orders still pending: 1");
    assertThat(outLines()).last().isEqualTo("AUDIT FAILED: 1 order still pending");
  }

  @Test
  void serverSideViolationsFailTheAudit(Vertx vertx) throws Exception {
    JsonObject audit = AuditReportTest.clean(0);
    audit.getJsonObject("violations").getJsonArray("doubleCharges")
      .add(new JsonObject().put("orderId", "o-1").put("approvedCharges", 2));
    String url = fakeGateway(vertx, List.of(audit), Map.of(), 0);

    int exit = audit("--gateway", url);

    assertThat(exit).isEqualTo(1);
    assertThat(outLines()).first().asString().startsWith("lost orders: not checked (no ids file ");
    assertThat(outLines()).contains("double charges: 1: o-1 (2 approved charges)");
    assertThat(outLines()).last().isEqualTo("AUDIT FAILED: 1 double charge");
  }

  /** Only the default file may be missing: a file named and not there is a typo, not "no ids". */
  @Test
  void anIdsFileNamedButMissingIsAUsageError(Vertx vertx) throws Exception {
    String url = fakeGateway(vertx, List.of(AuditReportTest.clean(0)), Map.of(), 0);

    assertThat(audit("--gateway", url, "--ids-file", dir.resolve("typo.acked").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--ids-file " + dir.resolve("typo.acked") + " does not exist");
    assertThat(out.toString()).doesNotContain("AUDIT PASSED");
  }

  // These run where the default file, ./orders.acked, is not (the module's directory).
  @Test
  void withoutAnIdsFileTheServerSideAloneCanPass(Vertx vertx) throws Exception {
    String url = fakeGateway(vertx, List.of(AuditReportTest.clean(0)), Map.of(), 0);

    assertThat(audit("--gateway", url)).isZero();
    assertThat(outLines()).last().isEqualTo("AUDIT PASSED: 0 double charges, 0 leaked stock (lost orders not checked: no ids file)");
  }

  @Test
  void anAnswerWithoutTheAuditIsReportedInOneLine(Vertx vertx) throws Exception {
    String url = fakeGateway(vertx, List.of(new JsonObject().put("status", "UP")), Map.of(), 0);

    assertThat(audit("--gateway", url)).isEqualTo(1);
    assertThat(err.toString().strip()).startsWith("the gateway at " + url + " did not answer GET /api/audit with an audit: ")
      .doesNotContain("\n");
    assertThat(outLines()).last().isEqualTo(AuditCommand.NOT_MADE);
  }

  @Test
  void aGatewayThatIsNotRunningIsReportedInOneLine() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    assertThat(audit("--gateway", "http://127.0.0.1:" + closedPort)).isEqualTo(1);
    assertThat(err.toString())
      .startsWith("cannot reach the gateway at http://127.0.0.1:" + closedPort + ": ")
      .contains("./shopmesh up");
    assertThat(err.toString().strip()).doesNotContain("\n");
    assertThat(out.toString()).as("no verdict but that none could be made").isEqualTo(AuditCommand.NOT_MADE + System.lineSeparator());
  }
}
