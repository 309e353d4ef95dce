package dev.shopmesh.cli;

import dev.shopmesh.cli.FakeGateway.Answer;
import dev.shopmesh.platform.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.stream.IntStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code shopmesh order} end to end against a fake gateway: options, summary, ids file, exit code. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OrderCommandTest {

  @TempDir
  Path dir;

  private FakeGateway gateway;
  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  @AfterEach
  void stopServer() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
  }

  private String fakeGateway(Vertx vertx, BiConsumer<HttpServerRequest, JsonObject> onOrder) throws Exception {
    gateway = FakeGateway.start(vertx, FakeGateway.TWO_PRODUCTS, onOrder);
    return gateway.uri.toString();
  }

  private int order(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    CommandLine cli = ShopmeshCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 1];
    all[0] = "order";
    System.arraycopy(args, 0, all, 1, args.length);
    return cli.execute(all);
  }

  private static OrderLoad.Settings settings(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "order";
    System.arraycopy(args, 0, all, 1, args.length);
    CommandLine cli = ShopmeshCli.commandLine();
    OrderCommand command = (OrderCommand) cli.parseArgs(all).subcommand().commandSpec().userObject();
    return command.settings();
  }

  @Test
  void theIdsFileHoldsTheAcknowledgedOrdersAndNothingOfAnEarlierRun(Vertx vertx) throws Exception {
    // Every fifth order declined (with the order), 7 without an order, 3 never answered but 503.
    String url = fakeGateway(vertx, (request, order) -> {
      int n = FakeGateway.orderNumber(order);
      if (n == 3) {
        new Answer(503, new JsonObject().put("error", "UNAVAILABLE")).send(request);
      } else if (n == 7) {
        new Answer(409, new JsonObject().put("error", "ALREADY_EXISTS")).send(request);
      } else if (n % 5 == 0) {
        new Answer(402, new JsonObject().put("orderId", "o-" + n).put("status", "REJECTED").put("rejection", "PAYMENT_DECLINED"))
          .send(request);
      } else {
        Answer.confirmed(n).send(request);
      }
    });
    // A name with a space: the printed audit command quotes it, or the shell splits it in two.
    Path ids = dir.resolve("acked orders.txt");
    Files.writeString(ids, "stale-1\nstale-2\n");

    int exit = order("--gateway", url, "--count", "20", "--concurrency", "4", "--attempts", "2", "--ids-file", ids.toString());

    assertThat(exit).isEqualTo(1);
    List<String> lines = Files.readAllLines(ids);
    assertThat(lines).containsExactlyInAnyOrderElementsOf(
      IntStream.rangeClosed(1, 20).filter(n -> n != 3 && n != 7).mapToObj(n -> "o-" + n).toList());
    assertThat(out.toString()).contains(
      "20 orders in ",
      // Why, in words: "declined or out of stock" read as declines when the stock had run out.
      "acknowledged 18: confirmed 14, rejected 5 (already exists 1, payment declined 4)",
      "failed 1, retried 1",
      "failures:\n    HTTP 503 after 2 attempts x1\n",
      "acknowledged order ids written to " + ids + " (check them with ./shopmesh audit --ids-file '" + ids + "' --gateway " + url + ")")
      .doesNotContain("skipped");
  }

  /** Ctrl-C (SIGINT) or SIGTERM mid-run: the summary and the ids so far, where it printed nothing. */
  @Test
  void stoppedMidRunItPrintsTheSummaryAndTheIdsSoFar(Vertx vertx) throws Exception {
    AtomicInteger answered = new AtomicInteger();
    String url = fakeGateway(vertx, (request, order) -> {
      Answer.confirmed(FakeGateway.orderNumber(order)).send(request);
      answered.incrementAndGet();
    });
    Path ids = dir.resolve("ids");
    Path printed = dir.resolve("printed");
    Process run = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-cp", System.getProperty("java.class.path"), ShopmeshCli.class.getName(),
      "order", "--gateway", url, "--rate", "20", "--duration", "120", "--ids-file", ids.toString()))
      .redirectErrorStream(true).redirectOutput(printed.toFile()).start();
    try {
      Await.until("orders flow", Duration.ofSeconds(30), () -> answered.get() >= 10);
      // SIGTERM; Ctrl-C's SIGINT runs the same shutdown hooks.
      run.destroy();
      assertThat(run.waitFor(30, TimeUnit.SECONDS)).as("order exits").isTrue();
    } finally {
      run.destroyForcibly();
    }

    assertThat(Files.readString(printed)).contains("stopped early (Ctrl-C or SIGTERM)", " orders in ",
      "acknowledged order ids written to " + ids + " (check them with ./shopmesh audit --ids-file " + ids + " --gateway " + url + ")");
    assertThat(Files.readAllLines(ids)).hasSizeGreaterThanOrEqualTo(10);
  }

  /** What the gateway said, so that a mistyped option is told apart from an outage; an order's id left out. */
  @Test
  void failuresSayWhatTheGatewaySaid(Vertx vertx) throws Exception {
    String url = fakeGateway(vertx, (request, order) -> {
      int n = FakeGateway.orderNumber(order);
      (n % 2 == 0 ? new Answer(400, new JsonObject().put("error", "INVALID_ARGUMENT")
          .put("message", "items[0].quantity must be between 1 and 1000, got 5000"))
        : new Answer(503, new JsonObject().put("error", "UNAVAILABLE")
          .put("message", "no replica of payment-service is registered (order o-" + n + ")"))).send(request);
    });

    assertThat(order("--gateway", url, "--count", "4", "--attempts", "1", "--ids-file", dir.resolve("ids").toString())).isEqualTo(1);
    assertThat(out.toString()).contains("failures:\n    HTTP 400: items[0].quantity must be between 1 and 1000, got 5000 x2\n"
      + "    HTTP 503: no replica of payment-service is registered x2\n");
  }

  /** Each kind of failure names the trace of its last one, which the mesh's log lines about it carry. */
  @Test
  void failuresNameTheTraceOfTheirLastOne(Vertx vertx) throws Exception {
    String url = fakeGateway(vertx, (request, order) -> request.response().setStatusCode(503)
      .putHeader("traceresponse", "00-4bf92f3577b34da6a3ce929d0e0e47" + (10 + FakeGateway.orderNumber(order)) + "-00f067aa0ba902b7-00")
      .end(new JsonObject().put("error", "UNAVAILABLE").put("message", "the database is unavailable").encode()));

    assertThat(order("--gateway", url, "--count", "3", "--concurrency", "1", "--attempts", "1",
      "--ids-file", dir.resolve("ids").toString())).isEqualTo(1);
    assertThat(out.toString()).contains("failures:\n    HTTP 503: the database is unavailable x3"
      + " (the last: trace_id 4bf92f3577b34da6a3ce929d0e0e4713)\n");
  }

  @Test
  void failedOrdersWithinMaxFailedPercentStillExitWith0(Vertx vertx) throws Exception {
    // One order in 200 fails: 0.5 %.
    String url = fakeGateway(vertx, (request, order) -> {
      int n = FakeGateway.orderNumber(order);
      (n == 7 ? new Answer(500, new JsonObject().put("error", "INTERNAL")) : Answer.confirmed(n)).send(request);
    });
    String ids = dir.resolve("ids").toString();

    assertThat(order("--gateway", url, "--count", "200", "--ids-file", ids)).isEqualTo(1);
    assertThat(out.toString()).contains("failed 1, retried 0", "failures:\n    HTTP 500 x1\n");

    assertThat(order("--gateway", url, "--count", "200", "--ids-file", ids, "--max-failed-percent", "0.5")).isZero();
    assertThat(out.toString()).contains("0.50 % of the orders failed, within --max-failed-percent 0.5");

    assertThat(order("--gateway", url, "--count", "200", "--ids-file", ids, "--max-failed-percent", "0.4")).isEqualTo(1);
    assertThat(out.toString()).contains("0.50 % of the orders failed, more than --max-failed-percent 0.4");
  }

  /** An order acknowledged PENDING (its payment still in flight) is neither confirmed nor rejected: said so. */
  @Test
  void ordersAcknowledgedPendingAreToldNotFinalYet(Vertx vertx) throws Exception {
    String url = fakeGateway(vertx, (request, order) -> new Answer(201, new JsonObject()
      .put("orderId", "o-" + FakeGateway.orderNumber(order)).put("status", "PENDING")).send(request));

    int exit = order("--gateway", url, "--count", "3", "--ids-file", dir.resolve("ids").toString());

    assertThat(exit).isZero();
    assertThat(out.toString()).contains("acknowledged 3: confirmed 0, rejected 0, not final yet 3 (PENDING, or still being placed)")
      .as("what becomes of them, and where to see it").contains("not final yet: 3 orders, each confirmed or rejected later",
        "./shopmesh audit waits for them");
  }

  @Test
  void aRunWithARateReportsTheSkippedOrders(Vertx vertx) throws Exception {
    String url = fakeGateway(vertx, (request, order) -> Answer.confirmed(FakeGateway.orderNumber(order)).send(request));

    int exit = order("--gateway", url, "--rate", "100", "--duration", "0.2", "--ids-file", dir.resolve("ids").toString());

    assertThat(exit).isZero();
    assertThat(out.toString()).contains("20 orders in ", "skipped 0 (client saturated: 64 orders in flight) of 20 due at 100.0 orders/s");
    assertThat(gateway.received).hasSize(20);
  }

  /** A gateway slower than the rate: the orders due while the one allowed is in flight are skipped, and counted due. */
  @Test
  void aRunThatSkipsOrdersCountsThemDue(Vertx vertx) throws Exception {
    String url = fakeGateway(vertx, (request, order) ->
      vertx.setTimer(300, t -> Answer.confirmed(FakeGateway.orderNumber(order)).send(request)));

    int exit = order("--gateway", url, "--rate", "100", "--duration", "0.2", "--concurrency", "1",
      "--ids-file", dir.resolve("ids").toString());

    assertThat(exit).isZero();
    Matcher summary = Pattern.compile("skipped (\\d+) \\(client saturated: 1 order in flight\\) of 20 due").matcher(out.toString());
    assertThat(summary.find()).as(out.toString()).isTrue();
    assertThat(Integer.parseInt(summary.group(1))).as("skipped").isEqualTo(20 - gateway.received.size()).isPositive();
  }

  /** The seeded stock runs out after the docs' examples: the summary says how to get it back, and only then. */
  @Test
  void ordersRejectedOutOfStockAreToldHowToGetTheStockBack(Vertx vertx) throws Exception {
    String url = fakeGateway(vertx, (request, order) -> {
      int n = FakeGateway.orderNumber(order);
      new Answer(409, new JsonObject().put("orderId", "o-" + n).put("status", "REJECTED").put("rejection", "OUT_OF_STOCK")).send(request);
    });

    assertThat(order("--gateway", url, "--count", "3", "--ids-file", dir.resolve("ids").toString())).isZero();
    assertThat(out.toString()).contains("rejected 3 (out of stock 3)",
      "out of stock: earlier orders took it; to start over with the seeded stock, stop the mesh and remove its data");

    gateway.close();
    url = fakeGateway(vertx, (request, order) -> Answer.confirmed(FakeGateway.orderNumber(order)).send(request));
    assertThat(order("--gateway", url, "--count", "3", "--ids-file", dir.resolve("ids").toString())).isZero();
    assertThat(out.toString()).doesNotContain("seeded stock");
  }

  @Test
  void oneOrderIsSaidInTheSingular(Vertx vertx) throws Exception {
    String url = fakeGateway(vertx, (request, order) -> Answer.confirmed(FakeGateway.orderNumber(order)).send(request));

    assertThat(order("--gateway", url, "--count", "1", "--rate", "10", "--concurrency", "1",
      "--ids-file", dir.resolve("ids").toString())).isZero();

    // A count of 1, not a rate such as "113.1 orders/s", which CI once matched.
    assertThat(out.toString()).startsWith("1 order in ").contains("(client saturated: 1 order in flight)")
      .doesNotContainPattern("(?<![\\d.])1 orders");
  }

  @Test
  void aProgressBarInALogPrintsEachStateOnce() {
    List<String> printed = new java.util.ArrayList<>();
    var lines = OrderCommand.changedLines(printed::add);
    List.of("0/3", "3/3", "3/3", "3/3").forEach(lines);
    assertThat(printed).containsExactly("0/3", "3/3");
  }

  /** A skipped order is not one more placed: the bar's total and speed are the orders sent, the skips said beside. */
  @Test
  void theProgressBarTakesSkippedOrdersOffItsTotal() {
    List<String> printed = new java.util.ArrayList<>();
    ProgressBar bar = new ProgressBarBuilder().setTaskName("orders").setInitialMax(5).setStyle(ProgressBarStyle.ASCII).showSpeed()
      .setConsumer(new DelegatingProgressBarConsumer(printed::add)).build();
    try (bar) {
      OrderProgress progress = new OrderProgress(bar);
      List.of(OrderLoad.Outcome.CONFIRMED, OrderLoad.Outcome.SKIPPED, OrderLoad.Outcome.SKIPPED, OrderLoad.Outcome.REJECTED,
        OrderLoad.Outcome.FAILED).forEach(progress);
    }
    assertThat(printed.get(printed.size() - 1)).contains("100%", " 3/3", "skipped 2 (client saturated)")
      .as("apart from the rate before it").doesNotContainPattern("\\Sskipped");
  }

  @Test
  void theLoopAndItsLimitsFollowFromTheOptions() {
    OrderLoad.Settings closed = settings();
    assertThat(closed.openLoop()).isFalse();
    assertThat(closed.count()).isEqualTo(200);
    assertThat(closed.concurrency()).isEqualTo(8);
    assertThat(closed.attempts()).isEqualTo(3);
    assertThat(closed.duration()).isNull();

    OrderLoad.Settings open = settings("--rate", "50");
    assertThat(open.openLoop()).isTrue();
    assertThat(open.concurrency()).isEqualTo(64);
    assertThat(open.plannedOrders()).isEqualTo(200);

    assertThat(settings("--rate", "100", "--duration", "2").plannedOrders()).isEqualTo(200);
    assertThat(settings("--rate", "100", "--duration", "2", "--count", "50").plannedOrders()).isEqualTo(50);
    assertThat(settings("--rate", "100", "--concurrency", "3").concurrency()).isEqualTo(3);
    OrderLoad.Settings timed = settings("--duration", "1.5", "--attempts", "5");
    assertThat(timed.count()).isEqualTo(Integer.MAX_VALUE);
    assertThat(timed.duration()).isEqualTo(Duration.ofMillis(1500));
    assertThat(timed.attempts()).isEqualTo(5);
  }

  @Test
  void badOptionsAreUsageErrors() {
    assertThat(order("--rate", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--rate", "See 'shopmesh order --help'.").doesNotContain("Usage:");
    assertThat(order("--duration", "-1")).isEqualTo(2);
    assertThat(order("--attempts", "0")).isEqualTo(2);
    assertThat(order("--max-failed-percent", "101")).isEqualTo(2);
    assertThat(order("--count", "0")).isEqualTo(2);
    assertThat(order("--quantity", "1001")).isEqualTo(2);
    assertThat(err.toString()).contains("--quantity must be at most 1000 (order-service refuses more in one line), got 1001");
    assertThat(order("--gateway", "http://a b")).isEqualTo(2);
    assertThat(err.toString()).contains("'http://a b' is not an address like localhost:8080 or http://host:8080 (Illegal character"
      + " in authority)").doesNotContain("java.");
    assertThat(order("--gateway", "http://127.0.0.1:99999")).as("a port out of range: was a stack trace").isEqualTo(2);
    assertThat(err.toString()).contains("--gateway must have a port from 1 to 65535, got 'http://127.0.0.1:99999'")
      .doesNotContain("java.");
    assertThat(order("--gateway", "http://127.0.0.1:0")).as("port 0 is no gateway's").isEqualTo(2);
    assertThat(err.toString()).contains("--gateway must have a port from 1 to 65535, got 'http://127.0.0.1:0'");
    assertThat(order("--gateway", "ftp://localhost:8080")).as("was a stack trace").isEqualTo(2);
    assertThat(err.toString()).contains("--gateway must be an http:// or https:// URL").doesNotContain("java.");
  }

  /** A host whose name begins with "http" is a host, as any other: it was refused as a URL without a scheme. */
  @Test
  void aHostNamedHttpSomethingIsAnAddress() {
    assertThat(order("--gateway", "http-gw.invalid:8080", "--ids-file", dir.resolve("ids").toString())).isEqualTo(1);
    assertThat(err.toString()).startsWith("cannot reach the gateway at http://http-gw.invalid:8080: ");
  }

  @Test
  void aGatewayThatIsNotRunningIsReportedInOneLineAndLeavesTheLastRunsIds() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Path ids = dir.resolve("acked");
    Files.writeString(ids, "o-1\n");

    assertThat(order("--gateway", "http://127.0.0.1:" + closedPort, "--ids-file", ids.toString())).isEqualTo(1);
    assertThat(err.toString()).startsWith("cannot reach the gateway at http://127.0.0.1:" + closedPort + ": ")
      .contains("if it serves another HTTP port, pass --gateway localhost:PORT or set SHOPMESH_HTTP_PORT");
    assertThat(err.toString().strip()).doesNotContain("\n");
    // A mistyped --gateway emptied it, and the audit of the run before then checked nothing.
    assertThat(Files.readString(ids)).as("the last run's ids, for its audit").isEqualTo("o-1\n");
  }

  /**
   * A port alone is refused before anything is sent (it was a host named 48080, and a 404 from
   * whatever answered); the mesh page's address is told the gateway's has no path, which only a
   * proxy's prefix may add.
   */
  @Test
  void aGatewayAddressThatIsNotTheGatewaysSaysWhatWasMeant(Vertx vertx) throws Exception {
    assertThat(order("--gateway", "48080")).isEqualTo(2);
    assertThat(err.toString()).contains("--gateway names no host (did you mean http://localhost:48080?), got 'http://48080'");
    String url = fakeGateway(vertx, (request, order) -> Answer.confirmed(1).send(request));
    assertThat(order("--gateway", url + "/mesh", "--ids-file", dir.resolve("ids").toString())).isEqualTo(1);
    assertThat(err.toString()).contains("with HTTP 404", "(--gateway has a path, /mesh: the gateway's address is without one,"
      + " unless a proxy serves it under that path)");
    // Another server's port (Prometheus's 9090 beside the compose stack's gateway).
    int other = Await.result(vertx.createHttpServer().requestHandler(request -> request.response().setStatusCode(404)
      .end("404 page not found\n")).listen(0, "127.0.0.1")).actualPort();
    err.getBuffer().setLength(0);
    assertThat(order("--gateway", "http://127.0.0.1:" + other, "--ids-file", dir.resolve("ids").toString())).isEqualTo(1);
    assertThat(err.toString()).contains("with HTTP 404: 404 page not found (that is not a shopmesh gateway's HTTP port,"
      + " 8080 unless moved)");
    // A gateway's own 404 (an older one, without a route this CLI asks for) is not blamed on the port.
    int older = Await.result(vertx.createHttpServer().requestHandler(request -> request.response().setStatusCode(404)
      .end("{\"error\":\"NOT_FOUND\",\"message\":\"no such resource: GET /api/products\"}")).listen(0, "127.0.0.1")).actualPort();
    assertThat(order("--gateway", "http://127.0.0.1:" + older, "--ids-file", dir.resolve("ids").toString())).isEqualTo(1);
    assertThat(err.toString()).contains("with HTTP 404: {\"error\"").doesNotContain("not a shopmesh gateway");
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    // Its own ids file: the default is in the working directory, which AuditCommandTest reads.
    assertThat(order("--gateway", "localhost:" + closedPort + "/", "--ids-file", dir.resolve("ids").toString()))
      .as("a trailing slash is the address alone").isEqualTo(1);
    assertThat(err.toString()).startsWith("cannot reach the gateway at http://localhost:" + closedPort + ": ");
  }

  @Test
  void theHelpNamesTheNewOptions() {
    assertThat(order("--help")).isZero();
    assertThat(out.toString()).contains("--rate", "--duration", "--attempts", "--max-failed-percent", "--ids-file",
      "open loop", "same Idempotency-Key", "./shopmesh audit");
  }
}
