package dev.shopmesh.cli;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A fake gateway for the order tests: a Vert.x HTTP server on a free loopback port that answers
 * GET /api/products with the given products, and records each POST /api/orders before
 * {@code onOrder} answers it (on the server's event loop).
 */
final class FakeGateway implements AutoCloseable {

  static final JsonArray TWO_PRODUCTS = new JsonArray()
    .add(new JsonObject().put("id", "p-1").put("name", "Mug").put("priceCents", 1200).put("currency", "EUR").put("stock", 100))
    .add(new JsonObject().put("id", "p-2").put("name", "Tee").put("priceCents", 2500).put("currency", "EUR").put("stock", 100));

  /** An order request as the fake gateway received it. */
  record Received(String idempotencyKey, String contentType, String body, long atNanos) {
    JsonObject json() {
      return new JsonObject(body);
    }

    int orderNumber() {
      return FakeGateway.orderNumber(json());
    }
  }

  record Answer(int status, JsonObject body) {
    void send(HttpServerRequest request) {
      request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }

    static Answer confirmed(int n) {
      return new Answer(201, new JsonObject().put("orderId", "o-" + n).put("status", "CONFIRMED"));
    }
  }

  /** Every order request received, in the order they arrived. */
  final List<Received> received;
  final URI uri;
  private final HttpServer server;

  private FakeGateway(HttpServer server, List<Received> received) {
    this.server = server;
    this.received = received;
    this.uri = URI.create("http://127.0.0.1:" + server.actualPort());
  }

  static FakeGateway start(Vertx vertx, JsonArray products, BiConsumer<HttpServerRequest, JsonObject> onOrder) throws Exception {
    List<Received> received = new CopyOnWriteArrayList<>();
    HttpServer server = vertx.createHttpServer().requestHandler(request -> {
      if (request.method() == HttpMethod.GET && request.path().equals("/api/products")) {
        request.response().putHeader("Content-Type", "application/json").end(products.encode());
      } else if (request.method() == HttpMethod.POST && request.path().equals("/api/orders")) {
        request.body().onSuccess(body -> {
          received.add(new Received(request.getHeader("Idempotency-Key"), request.getHeader("Content-Type"),
            body.toString(), System.nanoTime()));
          onOrder.accept(request, body.toJsonObject());
        });
      } else {
        request.response().setStatusCode(404).end();
      }
    });
    await(server.listen(0, "127.0.0.1"));
    return new FakeGateway(server, received);
  }

  @Override
  public void close() throws Exception {
    await(server.close());
  }

  static int orderNumber(JsonObject order) {
    return Integer.parseInt(order.getString("customerId").substring("cli-".length()));
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
