package dev.shopmesh.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import dev.shopmesh.cli.Gateway.GatewayException;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test orders placed through the gateway's HTTP/JSON API, each with its own idempotency key, and a
 * tally of how they ended. Needs no terminal: progress is reported through callbacks.
 *
 * <p>Closed loop (no rate): the next order starts as soon as fewer than {@code concurrency} are in
 * flight. Open loop (a rate): orders start at fixed intervals whatever the latency, so a slow
 * mesh builds up orders in flight; when {@code concurrency} are already in flight, the order due
 * is skipped and counted, and the schedule is kept.
 *
 * <p>An order whose answer is 502, 503, 504, or that got no answer (connection error, timeout) is
 * sent again with the same key and body, after a jittered back-off, up to {@code attempts} times in
 * all. 201, 402 and 409 end it, as does any other status.
 */
final class OrderLoad {

  /** The test card's expiry: December, five years on, so it never lapses while the CLI is in use. */
  static final String TEST_CARD_EXPIRY = YearMonth.now().plusYears(5).withMonth(12).format(DateTimeFormatter.ofPattern("MM/yy"));

  static final int DEFAULT_ATTEMPTS = 3;
  static final long MIN_BACKOFF_MILLIS = 50;
  static final long MAX_BACKOFF_MILLIS = 200;

  /**
   * @param count    at most this many orders ({@link Integer#MAX_VALUE}: as many as {@code duration} allows)
   * @param duration start no order after this long; null: no time limit
   * @param rate     orders per second, open loop; 0: closed loop
   */
  record Settings(URI gateway, int count, Duration duration, double rate, int concurrency, int attempts,
                  int quantity, String cardNumber) {

    /** Closed loop, {@code count} orders, with the default retries. */
    Settings(URI gateway, int count, int concurrency, int quantity, String cardNumber) {
      this(gateway, count, null, 0, concurrency, DEFAULT_ATTEMPTS, quantity, cardNumber);
    }

    boolean openLoop() {
      return rate > 0;
    }

    /**
     * How many order starts the run has, if known in advance: with a rate and a duration, the starts
     * due before the duration ends (rate × duration), if fewer than {@code count}; -1 when only the
     * duration ends a closed-loop run.
     */
    int plannedOrders() {
      if (duration == null) {
        return count;
      }
      if (!openLoop()) {
        return count == Integer.MAX_VALUE ? -1 : count;
      }
      // Start i is due at i / rate; those due before the duration ends: i < rate × duration.
      double due = Math.ceil(rate * (duration.toNanos() / 1e9) - 1e-9);
      return (int) Math.max(1, Math.min(count, Math.min(due, Integer.MAX_VALUE)));
    }
  }

  enum Outcome {
    /** 201 with the order, status CONFIRMED. */
    CONFIRMED,
    /** Declined payment or no stock (402, 409): the mesh said no, as it should for such an order. */
    REJECTED,
    /** 201 with the order in another status than CONFIRMED, or 409 ABORTED (its key still in use): not final yet. */
    UNSETTLED,
    /** No acknowledgement after all attempts, or any other status or a broken answer. */
    FAILED,
    /** Open loop only: due while {@code concurrency} orders were in flight, so not placed. */
    SKIPPED
  }

  /**
   * How a run went. {@code placed} orders were sent ({@code skipped} ones were not);
   * {@code acknowledged} of them were answered with an order (201, 402 or 409 with an
   * {@code orderId}); {@code retried} needed more than one attempt; {@code failures} counts the failed
   * orders by reason, e.g. {@code HTTP 500}, and {@code failureTraces} names, for each reason, the
   * trace the gateway logged the last such answer under, when it said. The latencies are of whole
   * orders, retries included.
   */
  record Result(int placed, int acknowledged, int confirmed, int rejected, int unsettled, int failed,
                int retried, int skipped, Map<String, Integer> failures, Map<String, String> failureTraces,
                Duration elapsed, LatencySummary latency, Map<String, Integer> rejections) {

    double ordersPerSecond() {
      return elapsed.isZero() ? 0 : placed * 1_000_000_000.0 / elapsed.toNanos();
    }

    double failedPercent() {
      return placed == 0 ? 0 : failed * 100.0 / placed;
    }
  }

  private final Settings settings;
  private final Gateway gateway;
  private final String base;
  private final HttpClient http;

  OrderLoad(Settings settings) {
    this.settings = settings;
    this.gateway = new Gateway(settings.gateway());
    this.base = gateway.base();
    this.http = gateway.http();
  }

  /** The ids of the products on sale, which the orders then take turns at. */
  List<String> productIds() throws GatewayException, InterruptedException {
    String products = gateway.get("/api/products");
    List<String> ids;
    try {
      ids = new JsonArray(products).stream()
        .filter(JsonObject.class::isInstance)
        .map(product -> ((JsonObject) product).getString("id"))
        .filter(id -> id != null && !id.isBlank())
        .toList();
    } catch (DecodeException | ClassCastException e) {
      throw new GatewayException("the gateway at " + base + " did not answer GET /api/products with a JSON array of products");
    }
    if (ids.isEmpty()) {
      throw new GatewayException("the gateway at " + base + " lists no products to order");
    }
    return ids;
  }

  private volatile boolean stopped;

  /** Sends no more orders; {@link #place} returns once those in flight are counted. */
  void stop() {
    stopped = true;
  }

  boolean stopped() {
    return stopped;
  }

  /** {@link #place(List, Consumer, Consumer)} without hearing of the acknowledged order ids. */
  Result place(List<String> productIds, Consumer<Outcome> onDone) throws InterruptedException {
    return place(productIds, onDone, orderId -> { });
  }

  /**
   * Places the orders, round-robin over {@code productIds}, and waits for all of them.
   * {@code onDone} hears of each finished (or skipped) order, {@code onAcknowledged} of the id of
   * each order the gateway answered with, both from the HTTP client's threads (or, for skipped
   * orders, the calling one).
   */
  Result place(List<String> productIds, Consumer<Outcome> onDone, Consumer<String> onAcknowledged)
    throws InterruptedException {
    int concurrency = settings.concurrency();
    Semaphore inFlight = new Semaphore(concurrency);
    Tally tally = new Tally();
    long start = System.nanoTime();
    try {
      if (settings.openLoop()) {
        int planned = settings.plannedOrders();
        double intervalNanos = 1e9 / settings.rate();
        for (int i = 0; i < planned && !stopped; i++) {
          if (!awaitNanoTime(start + (long) (i * intervalNanos))) {
            break;
          }
          if (inFlight.tryAcquire()) {
            send(i + 1, productIds.get(i % productIds.size()), inFlight, tally, onDone, onAcknowledged);
          } else {
            tally.skipped();
            onDone.accept(Outcome.SKIPPED);
          }
        }
      } else {
        Duration duration = settings.duration();
        long end = duration == null ? NO_END : start + duration.toNanos();
        for (int i = 0; i < settings.count() && !stopped; i++) {
          if (!acquire(inFlight, end)) {
            break;
          }
          send(i + 1, productIds.get(i % productIds.size()), inFlight, tally, onDone, onAcknowledged);
        }
      }
    } finally {
      // Every order holds a permit until it has been counted: all permits back means all counted.
      inFlight.acquireUninterruptibly(concurrency);
    }
    return tally.result(Duration.ofNanos(System.nanoTime() - start));
  }

  /** Waits for {@code due} (System.nanoTime); false if stopped first. Looks at the flag every {@link #STOP_CHECK_NANOS}. */
  private boolean awaitNanoTime(long due) throws InterruptedException {
    for (long left = due - System.nanoTime(); left > 0 && !stopped; left = due - System.nanoTime()) {
      LockSupport.parkNanos(Math.min(left, STOP_CHECK_NANOS));
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
    return !stopped;
  }

  /** A permit for one more order before {@code end} (System.nanoTime, or NO_END); false if stopped or out of time. */
  private boolean acquire(Semaphore inFlight, long end) throws InterruptedException {
    while (!stopped) {
      // Compared, not subtracted: nanoTime may be negative, and MAX_VALUE minus it overflows.
      long left = end == NO_END ? STOP_CHECK_NANOS : end - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      if (inFlight.tryAcquire(Math.min(left, STOP_CHECK_NANOS), TimeUnit.NANOSECONDS)) {
        if (!stopped) {
          return true;
        }
        inFlight.release();
      }
    }
    return false;
  }

  private static final long STOP_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final long NO_END = Long.MAX_VALUE;

  /** Order {@code n}, holding one of {@code inFlight}'s permits, which it gives back once counted. */
  private void send(int n, String productId, Semaphore inFlight, Tally tally, Consumer<Outcome> onDone,
                    Consumer<String> onAcknowledged) {
    long sent = System.nanoTime();
    HttpRequest request = orderRequest(n, productId);
    attempt(request, 1).whenComplete((last, error) -> {
      try {
        Attempt counted = last != null ? last : new Attempt(null, error, 1);
        Tally.Counted outcome = tally.add(counted, System.nanoTime() - sent);
        if (outcome.orderId() != null) {
          onAcknowledged.accept(outcome.orderId());
        }
        onDone.accept(outcome.outcome());
      } finally {
        inFlight.release();
      }
    });
  }

  /** The last attempt at an order: its answer or why there was none, and how many attempts were made. */
  private record Attempt(HttpResponse<String> response, Throwable error, int attempts) {

    boolean retryable() {
      if (error != null) {
        // Connection refused or lost, no answer in time: the order may or may not have been placed,
        // which its key lets the gateway sort out.
        return FailureWords.unwrap(error) instanceof IOException;
      }
      int status = response.statusCode();
      return status == 502 || status == 503 || status == 504 || stillBeingPlaced(response);
    }
  }

  private CompletableFuture<Attempt> attempt(HttpRequest request, int number) {
    CompletableFuture<HttpResponse<String>> answer;
    try {
      answer = http.sendAsync(request, BodyHandlers.ofString());
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    return answer
      .handle((response, error) -> new Attempt(response, error, number))
      .thenCompose(attempt -> {
        // Stopped (Ctrl-C): the orders in flight end with the answer they have, not another attempt.
        if (number >= settings.attempts() || !attempt.retryable() || stopped) {
          return CompletableFuture.completedFuture(attempt);
        }
        long backoff = ThreadLocalRandom.current().nextLong(MIN_BACKOFF_MILLIS, MAX_BACKOFF_MILLIS + 1);
        return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(backoff, TimeUnit.MILLISECONDS))
          .thenCompose(v -> attempt(request, number + 1));
      });
  }

  private HttpRequest orderRequest(int n, String productId) {
    JsonObject body = new JsonObject()
      .put("customerId", "cli-" + n)
      .put("items", new JsonArray().add(new JsonObject().put("productId", productId).put("quantity", settings.quantity())))
      .put("payment", new JsonObject()
        .put("cardNumber", settings.cardNumber())
        .put("expiry", TEST_CARD_EXPIRY)
        .put("cvv", "123"));
    // One request per order, sent again as it is by retries: same key, same body.
    return gateway.request("/api/orders")
      .header("Content-Type", "application/json")
      // A fresh key per order: each is a distinct purchase, never a retry of another.
      .header("Idempotency-Key", UUID.randomUUID().toString())
      .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
      .build();
  }

  /** What a response means: 201 with an order, 402 (declined) or 409 (out of stock), or a failure. */
  static Outcome outcomeOf(HttpResponse<String> response) {
    JsonObject body = jsonIn(response.body());
    return switch (response.statusCode()) {
      case 201 -> orderIdIn(body) == null ? Outcome.FAILED
        : "CONFIRMED".equals(stringIn(body, "status")) ? Outcome.CONFIRMED : Outcome.UNSETTLED;
      case 402, 409 -> stillBeingPlaced(response) ? Outcome.UNSETTLED : Outcome.REJECTED;
      default -> Outcome.FAILED;
    };
  }

  /**
   * A 409 ABORTED: the first attempt with this order's key is still being placed (its answer was
   * lost to a timeout), so the order is neither rejected nor settled yet; sent again, it gets the outcome.
   */
  static boolean stillBeingPlaced(HttpResponse<String> response) {
    return response.statusCode() == 409 && "ABORTED".equals(stringIn(jsonIn(response.body()), "error"));
  }

  /**
   * The id of the order an answer acknowledges: 201, 402 or 409 with an {@code orderId}, or a 409
   * ABORTED, whose message names the order still being placed (it exists: left out, it was in
   * neither the summary's acknowledged count nor the ids the audit checks); else null.
   */
  static String acknowledgedOrderId(HttpResponse<String> response) {
    if (stillBeingPlaced(response)) {
      Matcher named = ORDER_ID.matcher(String.valueOf(stringIn(jsonIn(response.body()), "message")));
      return named.find() ? named.group(1) : null;
    }
    int status = response.statusCode();
    return status == 201 || status == 402 || status == 409 ? orderIdIn(jsonIn(response.body())) : null;
  }

  private static final Pattern ORDER_ID = Pattern.compile("\\(order ([^)\\s]+)\\)");

  /**
   * A failed order's status and the gateway's message, without the order id a refusal for an
   * outage names: failures are counted by their words, and each id would make a line of its own.
   */
  private static String failureOf(HttpResponse<String> response) {
    if (response.statusCode() == 201) {
      return "HTTP 201 without an orderId";
    }
    String message = stringIn(jsonIn(response.body()), "message");
    return "HTTP " + response.statusCode() + (message == null ? "" : ": " + NAMED_ORDER.matcher(message).replaceAll(""));
  }

  private static final Pattern NAMED_ORDER = Pattern.compile(" \\(order [^)]*\\)");

  /** The trace id in the gateway's {@code traceresponse} header, which its log lines for the request carry; null if none. */
  private static String traceOf(HttpResponse<String> response) {
    return response.headers().firstValue("traceresponse").map(TRACE::matcher).filter(Matcher::matches)
      .map(m -> m.group(1)).orElse(null);
  }

  private static final Pattern TRACE = Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}.*");

  private static JsonObject jsonIn(String body) {
    try {
      return body == null || body.isBlank() ? null : new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  private static String orderIdIn(JsonObject body) {
    String id = stringIn(body, "orderId");
    return id == null || id.isBlank() ? null : id;
  }

  /**
   * Why the gateway rejected an order, in words: its {@code rejection} ("out of stock", "payment
   * declined"), else the error it answered ("already exists"). The summary said "declined or out of
   * stock" for all, and a user who emptied the stock read it as declines.
   */
  static String rejectionOf(HttpResponse<String> response) {
    JsonObject body = jsonIn(response.body());
    String why = stringIn(body, "rejection");
    if (why == null) {
      why = stringIn(body, "error");
    }
    return why == null ? "HTTP " + response.statusCode() : why.toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  private static String stringIn(JsonObject body, String field) {
    return body != null && body.getValue(field) instanceof String s ? s : null;
  }

  /** Outcome counts and latencies, added to from the HTTP client's threads. */
  private static final class Tally {
    private final Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
    private final Map<String, Integer> failures = new TreeMap<>();
    private final Map<String, String> failureTraces = new TreeMap<>();
    private final Map<String, Integer> rejections = new TreeMap<>();
    private int acknowledged;
    private int retried;
    private long[] latencies = new long[64];
    private int placed;

    record Counted(Outcome outcome, String orderId) {
    }

    synchronized Counted add(Attempt last, long latencyNanos) {
      Outcome outcome = last.error() != null ? Outcome.FAILED : outcomeOf(last.response());
      String orderId = last.error() != null ? null : acknowledgedOrderId(last.response());
      outcomes.merge(outcome, 1, Integer::sum);
      if (outcome == Outcome.REJECTED) {
        rejections.merge(rejectionOf(last.response()), 1, Integer::sum);
      }
      if (outcome == Outcome.FAILED) {
        String reason = last.error() != null ? FailureWords.describe(last.error()) : failureOf(last.response());
        String kind = last.attempts() > 1 ? reason + " after " + last.attempts() + " attempts" : reason;
        failures.merge(kind, 1, Integer::sum);
        String trace = last.response() == null ? null : traceOf(last.response());
        if (trace != null) {
          failureTraces.put(kind, trace);
        }
      }
      if (orderId != null) {
        acknowledged++;
      }
      if (last.attempts() > 1) {
        retried++;
      }
      if (placed == latencies.length) {
        latencies = Arrays.copyOf(latencies, placed * 2);
      }
      latencies[placed++] = latencyNanos;
      return new Counted(outcome, orderId);
    }

    synchronized void skipped() {
      outcomes.merge(Outcome.SKIPPED, 1, Integer::sum);
    }

    synchronized Result result(Duration elapsed) {
      return new Result(placed, acknowledged,
        outcomes.getOrDefault(Outcome.CONFIRMED, 0),
        outcomes.getOrDefault(Outcome.REJECTED, 0),
        outcomes.getOrDefault(Outcome.UNSETTLED, 0),
        outcomes.getOrDefault(Outcome.FAILED, 0),
        retried,
        outcomes.getOrDefault(Outcome.SKIPPED, 0),
        Collections.unmodifiableMap(new TreeMap<>(failures)), Collections.unmodifiableMap(new TreeMap<>(failureTraces)), elapsed,
        LatencySummary.ofNanos(Arrays.copyOf(latencies, placed)), Collections.unmodifiableMap(new TreeMap<>(rejections)));
    }
  }
}
