package dev.shopmesh.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import dev.shopmesh.cli.Gateway.GatewayException;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** {@code shopmesh audit}: after a run, checks that no order was lost and no money or stock leaked. */
@Command(
  name = "audit",
  mixinStandardHelpOptions = true,
  description = {
    "Check after ./shopmesh order that no acknowledged order was lost and no money or stock leaked.",
    "Waits until no order is pending and no refund or stock release is owed, and through a service restarting "
      + "(answered 503) (GET /api/audit, every 500 ms, up to --settle-seconds), then checks every "
      + "acknowledged order in --ids-file (GET /api/orders/{id}: not found, or still pending, is lost).",
    "Prints one line per invariant (lost orders, double charges, charges without a confirmed order, confirmed "
      + "orders without a charge, leaked stock, orders still pending) with the first offending ids, and last a "
      + "one-line verdict, AUDIT PASSED or AUDIT FAILED.",
    "Without the ids file only the server-side invariants are audited.",
    "Exits with 0 only if every invariant holds; with 1 if one does not, or if no audit could be made (the gateway "
      + "cannot be reached, or still answers 503 at the end of --settle-seconds: a service it needs has no replica), "
      + "which it says in place of the invariants, with the verdict AUDIT NOT MADE; with 2 on a usage error (an option's "
      + "value, an --ids-file named that does not exist)."})
final class AuditCommand implements Callable<Integer> {

  /** Longer than the gateway gives the audit's reads (60 s), so that its own answer, a 504 included, arrives. */
  static final Duration AUDIT_TIMEOUT = Duration.ofSeconds(70);

  static final long POLL_MILLIS = 500;
  /** Orders checked at once. */
  static final int CONCURRENCY = 16;
  /** Attempts at reading one order when the gateway answers 5xx or not at all (reads are safe to repeat). */
  static final int ATTEMPTS = 3;

  @Spec
  CommandSpec spec;

  @Option(names = "--gateway", paramLabel = "URL", description = Gateway.OPTION_HELP)
  URI gateway;

  @Option(names = "--ids-file", paramLabel = "FILE", defaultValue = OrderIdsFile.DEFAULT_NAME,
    description = "The acknowledged order ids, one per line, as the order command wrote them (default: ${DEFAULT-VALUE}).")
  Path idsFile;

  @Option(names = "--settle-seconds", paramLabel = "S", defaultValue = "60",
    description = "How long to wait for pending orders to end, owed compensations to be made and a restarting service"
      + " to answer, e.g. 60 or 0.5"
      + " (default: ${DEFAULT-VALUE}).")
  double settleSeconds;

  private Gateway client;
  private String base;
  private HttpClient http;

  @Override
  public Integer call() throws InterruptedException {
    Gateway.requireHttpUrl(spec, gateway);
    // Without the default file, the lost-order check is skipped; a file named but missing is a typo
    // that would skip it silently.
    if (spec.commandLine().getParseResult().hasMatchedOption("--ids-file") && !Files.exists(idsFile)) {
      throw new ParameterException(spec.commandLine(), "--ids-file " + idsFile + " does not exist");
    }
    if (!(settleSeconds >= 0 && settleSeconds <= 86_400)) {
      throw new ParameterException(spec.commandLine(), "--settle-seconds must be between 0 and 86400, got " + settleSeconds);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    client = new Gateway(gateway);
    base = client.base();
    http = client.http();

    List<String> ids = null;
    if (Files.exists(idsFile)) {
      try {
        ids = OrderIdsFile.read(idsFile);
      } catch (IOException e) {
        return notMade(out, err, "cannot read the ids file " + idsFile + ": " + FailureWords.describe(e));
      }
    }
    try {
      JsonObject audit = settled(out);
      List<AuditReport.OrderCheck> checks = ids == null ? null : check(ids);
      AuditReport report = AuditReport.evaluate(audit, checks, idsFile.toString());
      report.lines().forEach(out::println);
      out.flush();
      return report.passed() ? 0 : 1;
    } catch (GatewayException e) {
      return notMade(out, err, e.getMessage());
    } catch (AuditReport.MalformedAuditException e) {
      return notMade(out, err, "the gateway at " + base + " did not answer GET /api/audit with an audit: " + e.getMessage());
    }
  }

  /**
   * Why no audit could be made, and a verdict that says so: a script reading the last line for
   * AUDIT PASSED or AUDIT FAILED found neither, and nothing saying that nothing was checked.
   */
  private static int notMade(PrintWriter out, PrintWriter err, String why) {
    err.println(why);
    err.flush();
    out.println(NOT_MADE);
    out.flush();
    return 1;
  }

  static final String NOT_MADE = "AUDIT NOT MADE: nothing was checked (the line before says why)";

  /**
   * The audit once no order is pending and no refund or stock release is owed, or the last one when
   * the settling time is up. An order that failed while a service was cut off owes its compensation
   * until order-service's sweep gets through (SHOPMESH_SAGA_STALE_MS after the failure): audited at
   * once, 64 refunds still on their way read as charges leaked for good. A service restarting is
   * waited for the same way: the audit needs all three, and the gateway answers 503 until the
   * restarted one is registered again.
   */
  private JsonObject settled(PrintWriter out) throws GatewayException, InterruptedException, AuditReport.MalformedAuditException {
    long start = System.nanoTime();
    long deadline = start + (long) (settleSeconds * 1e9);
    boolean waitedForAnswer = false;
    boolean waitedToSettle = false;
    while (true) {
      JsonObject audit;
      try {
        audit = audit();
      } catch (GatewayException notReady) {
        if (!notReady.serviceNotReady() || System.nanoTime() >= deadline) {
          throw notReady;
        }
        if (!waitedForAnswer) {
          out.printf(Locale.ROOT, "waiting up to %s s for the gateway to answer the audit (%s)...%n", seconds(settleSeconds),
            notReady.getMessage());
          out.flush();
          waitedForAnswer = true;
        }
        pause(deadline);
        continue;
      }
      int pending = AuditReport.pendingOf(audit);
      int owed = AuditReport.owedOf(audit);
      long now = System.nanoTime();
      if (pending == 0 && owed == 0) {
        if (waitedForAnswer || waitedToSettle) {
          out.printf(Locale.ROOT, "settled after %.1f s%n", (now - start) / 1e9);
        }
        return audit;
      }
      if (now >= deadline) {
        out.printf(Locale.ROOT, "gave up waiting after %.1f s: still %d pending, %d refunds or stock releases owed%n",
          (now - start) / 1e9, pending, owed);
        return audit;
      }
      if (!waitedToSettle) {
        out.printf(Locale.ROOT, "waiting up to %s s for %s...%n", seconds(settleSeconds), unsettled(pending, owed));
        out.flush();
        waitedToSettle = true;
      }
      pause(deadline);
    }
  }

  /** Waits before asking again, at most until {@code deadline}. */
  private static void pause(long deadline) throws InterruptedException {
    TimeUnit.NANOSECONDS.sleep(Math.max(0, Math.min(TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS), deadline - System.nanoTime())));
  }

  private static String unsettled(int pending, int owed) {
    String compensations = "the refunds and stock releases owed by failed orders to be made";
    if (owed == 0) {
      return "the pending orders to end (" + pending + " now)";
    }
    return pending == 0 ? compensations + " (" + owed + " now)"
      : "the pending orders to end and " + compensations + " (" + pending + " pending, " + owed + " owed now)";
  }

  private JsonObject audit() throws GatewayException, InterruptedException {
    String body = client.get("/api/audit", AUDIT_TIMEOUT);
    try {
      return new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      throw new GatewayException("the gateway at " + base + " did not answer GET /api/audit with a JSON object");
    }
  }

  /** What the gateway says of each order, at most {@link #CONCURRENCY} asked at once; in the ids' order. */
  private List<AuditReport.OrderCheck> check(List<String> ids) throws InterruptedException {
    Semaphore inFlight = new Semaphore(CONCURRENCY);
    List<CompletableFuture<AuditReport.OrderCheck>> checks = new ArrayList<>(ids.size());
    for (String id : ids) {
      inFlight.acquire();
      CompletableFuture<AuditReport.OrderCheck> check = check(id, 1);
      check.whenComplete((result, error) -> inFlight.release());
      checks.add(check);
    }
    inFlight.acquire(CONCURRENCY);
    return checks.stream().map(CompletableFuture::join).toList();
  }

  private CompletableFuture<AuditReport.OrderCheck> check(String id, int attempt) {
    HttpRequest request = client.request("/api/orders/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"))
      .GET().build();
    return http.sendAsync(request, BodyHandlers.ofString())
      .handle((response, error) -> {
        if (error != null) {
          return new AuditReport.OrderCheck(id, AuditReport.OrderState.UNCHECKED, FailureWords.describe(error));
        }
        return switch (response.statusCode()) {
          case 404 -> new AuditReport.OrderCheck(id, AuditReport.OrderState.NOT_FOUND, "HTTP 404");
          case 200 -> found(id, response.body());
          default -> new AuditReport.OrderCheck(id, AuditReport.OrderState.UNCHECKED, "HTTP " + response.statusCode());
        };
      })
      .thenCompose(check -> {
        boolean again = check.state() == AuditReport.OrderState.UNCHECKED && attempt < ATTEMPTS
          && (check.detail().startsWith("HTTP 5") || !check.detail().startsWith("HTTP "));
        if (!again) {
          return CompletableFuture.completedFuture(check);
        }
        return CompletableFuture.runAsync(() -> { },
            CompletableFuture.delayedExecutor(OrderLoad.MIN_BACKOFF_MILLIS * attempt, TimeUnit.MILLISECONDS))
          .thenCompose(v -> check(id, attempt + 1));
      });
  }

  private static AuditReport.OrderCheck found(String id, String body) {
    String status;
    try {
      status = new JsonObject(body).getValue("status") instanceof String s ? s : null;
    } catch (DecodeException | ClassCastException e) {
      status = null;
    }
    if (status == null) {
      return new AuditReport.OrderCheck(id, AuditReport.OrderState.UNCHECKED, "HTTP 200 without a status");
    }
    return new AuditReport.OrderCheck(id,
      "PENDING".equals(status) ? AuditReport.OrderState.PENDING : AuditReport.OrderState.FINAL, status);
  }

  private static String seconds(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
