package dev.shopmesh.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * Test orders placed through the gateway's HTTP/JSON API, at most {@code concurrency} in flight,
 * each with its own idempotency key, and a tally of how they ended. Needs no terminal: progress is
 * reported through a callback.
 */
final class OrderLoad {

  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  record Settings(URI gateway, int count, int concurrency, int quantity, String cardNumber) {
  }

  enum Outcome {
    CONFIRMED,
    /** Declined payment or no stock: the mesh said no, as it should for such an order. */
    REJECTED,
    /** Anything the mesh should not do: another status, a broken answer, no answer in time. */
    FAILED
  }

  /** How a run went; {@code failures} counts the failed orders by reason, e.g. {@code HTTP 500}. */
  record Result(int count, int confirmed, int rejected, int failed, Map<String, Integer> failures,
                Duration elapsed, LatencySummary latency) {

    double ordersPerSecond() {
      return elapsed.isZero() ? 0 : count * 1_000_000_000.0 / elapsed.toNanos();
    }
  }

  /** The gateway cannot be used for a run: not reachable, or without products to order. */
  static final class GatewayException extends Exception {
    GatewayException(String message) {
      super(message);
    }
  }

  private final Settings settings;
  private final String base;
  private final HttpClient http;

  OrderLoad(Settings settings) {
    this.settings = settings;
    this.base = settings.gateway().toString().replaceAll("/+$", "");
    this.http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(REQUEST_TIMEOUT)
      .build();
  }

  /** The ids of the products on sale, which the orders then take turns at. */
  List<String> productIds() throws GatewayException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/products"))
      .timeout(REQUEST_TIMEOUT)
      .header("Accept", "application/json")
      .GET()
      .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, BodyHandlers.ofString());
    } catch (IOException e) {
      throw new GatewayException("cannot reach the gateway at " + base + ": " + describe(e)
        + " (is the mesh running? start it with ./shopmesh up)");
    }
    if (response.statusCode() != 200) {
      throw new GatewayException("the gateway at " + base + " answered GET /api/products with HTTP " + response.statusCode());
    }
    List<String> ids;
    try {
      ids = new JsonArray(response.body()).stream()
        .filter(JsonObject.class::isInstance)
        .map(product -> ((JsonObject) product).getString("id"))
        .filter(id -> id != null && !id.isBlank())
        .toList();
    } catch (DecodeException e) {
      throw new GatewayException("the gateway at " + base + " did not answer GET /api/products with a JSON array of products");
    }
    if (ids.isEmpty()) {
      throw new GatewayException("the gateway at " + base + " lists no products to order");
    }
    return ids;
  }

  /**
   * Places {@code count} orders, round-robin over {@code productIds}, and waits for all of them.
   * {@code onDone} hears of each finished order, from the HTTP client's threads.
   */
  Result place(List<String> productIds, Consumer<Outcome> onDone) throws InterruptedException {
    int count = settings.count();
    Semaphore inFlight = new Semaphore(settings.concurrency());
    CountDownLatch finished = new CountDownLatch(count);
    // Each slot is written by its own order before the latch counts it down, and read after the wait.
    long[] latencies = new long[count];
    Tally tally = new Tally();
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      inFlight.acquire();
      int slot = i;
      long sent = System.nanoTime();
      http.sendAsync(orderRequest(i + 1, productIds.get(i % productIds.size())), BodyHandlers.ofString())
        .whenComplete((response, error) -> {
          try {
            latencies[slot] = System.nanoTime() - sent;
            onDone.accept(tally.add(response, error));
          } finally {
            inFlight.release();
            finished.countDown();
          }
        });
    }
    finished.await();
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    return tally.result(count, elapsed, LatencySummary.ofNanos(latencies));
  }

  private HttpRequest orderRequest(int n, String productId) {
    JsonObject body = new JsonObject()
      .put("customerId", "cli-" + n)
      .put("items", new JsonArray().add(new JsonObject().put("productId", productId).put("quantity", settings.quantity())))
      .put("payment", new JsonObject()
        .put("cardNumber", settings.cardNumber())
        .put("expiry", "12/30")
        .put("cvv", "123"));
    return HttpRequest.newBuilder(URI.create(base + "/api/orders"))
      .timeout(REQUEST_TIMEOUT)
      .header("Content-Type", "application/json")
      .header("Accept", "application/json")
      // A fresh key per order: each is a distinct purchase, never a retry of another.
      .header("Idempotency-Key", UUID.randomUUID().toString())
      .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
      .build();
  }

  /** What a response means: 201 CONFIRMED, 402 (declined) or 409 (out of stock), or a failure. */
  static Outcome outcomeOf(HttpResponse<String> response) {
    return switch (response.statusCode()) {
      case 201 -> "CONFIRMED".equals(statusIn(response.body())) ? Outcome.CONFIRMED : Outcome.FAILED;
      case 402, 409 -> Outcome.REJECTED;
      default -> Outcome.FAILED;
    };
  }

  private static String failureOf(HttpResponse<String> response) {
    return response.statusCode() == 201 ? "HTTP 201 without status CONFIRMED" : "HTTP " + response.statusCode();
  }

  private static String statusIn(String body) {
    try {
      return new JsonObject(body).getString("status");
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  /** A one-line reason, since the HTTP client's exceptions often carry no message. */
  static String describe(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof HttpConnectTimeoutException) {
      return "no connection within " + REQUEST_TIMEOUT.toSeconds() + " s";
    }
    if (cause instanceof HttpTimeoutException) {
      return "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s";
    }
    if (cause instanceof ConnectException) {
      return "connection refused";
    }
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /** Outcome counts, added to from the HTTP client's threads. */
  private static final class Tally {
    private final Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
    private final Map<String, Integer> failures = new TreeMap<>();

    synchronized Outcome add(HttpResponse<String> response, Throwable error) {
      Outcome outcome = error != null ? Outcome.FAILED : outcomeOf(response);
      outcomes.merge(outcome, 1, Integer::sum);
      if (outcome == Outcome.FAILED) {
        failures.merge(error != null ? describe(error) : failureOf(response), 1, Integer::sum);
      }
      return outcome;
    }

    synchronized Result result(int count, Duration elapsed, LatencySummary latency) {
      return new Result(count,
        outcomes.getOrDefault(Outcome.CONFIRMED, 0),
        outcomes.getOrDefault(Outcome.REJECTED, 0),
        outcomes.getOrDefault(Outcome.FAILED, 0),
        Collections.unmodifiableMap(new TreeMap<>(failures)), elapsed, latency);
    }
  }
}
