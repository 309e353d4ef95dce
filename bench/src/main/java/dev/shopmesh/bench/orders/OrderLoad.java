package dev.shopmesh.bench.orders;

import dev.shopmesh.proto.order.v1.OrderServiceGrpcClient;
import dev.shopmesh.proto.order.v1.PlaceOrderRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;

import java.util.concurrent.TimeUnit;

/**
 * An open-loop load generator of PlaceOrder calls, in this process, with Vert.x's gRPC client and
 * the proto module's stubs, on one HTTP/2 connection (h2c, prior knowledge) to the gateway's gRPC
 * port. Order {@code i} of a run is due at {@code start + i / rate}; a 1 ms timer sends every order
 * that is due, whether or not the earlier ones were answered, and each order's latency runs from
 * the time it was due, not from when it went out: a stall of the server or of this generator shows
 * up in the figures instead of pausing the clock (no coordinated omission).
 *
 * <p>Every call has a deadline of {@link #CALL_TIMEOUT_MS}; at most {@link #MAX_IN_FLIGHT} are in
 * flight (the gateway's HTTP/2 stream limit per connection); a due order past that is not sent and
 * counts as an overload error. All of it runs on one event loop.
 */
public final class OrderLoad implements AutoCloseable {

  static final long CALL_TIMEOUT_MS = 5_000;
  static final int MAX_IN_FLIGHT = 1_000;

  private final Vertx vertx;
  private final Context context;
  private final GrpcClient grpc;
  private final OrderServiceGrpcClient orders;

  public OrderLoad(Vertx vertx, int port) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.grpc = GrpcClient.client(vertx,
      new GrpcClientOptions().setScheduleDeadlineAutomatically(true).setTimeout((int) CALL_TIMEOUT_MS)
        .setTimeoutUnit(TimeUnit.MILLISECONDS),
      new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    this.orders = OrderServiceGrpcClient.create(grpc, SocketAddress.inetSocketAddress(port, "127.0.0.1"));
  }

  /** One order, sent now; answers its outcome and its latency in µs. */
  public Timed placeOne(PlaceOrderRequest order) throws Exception {
    Promise<Timed> done = Promise.promise();
    context.runOnContext(v -> {
      long start = System.nanoTime();
      orders.placeOrder(order).onComplete(ar -> done.complete(new Timed(
        ar.succeeded() ? Outcome.of(ar.result()) : Outcome.of(ar.cause()), (System.nanoTime() - start) / 1_000)));
    });
    return done.future().await(CALL_TIMEOUT_MS + 5_000, TimeUnit.MILLISECONDS);
  }

  /** An outcome and how long it took, in µs. */
  public record Timed(Outcome outcome, long micros) {
  }

  /** {@code rate} orders a second for {@code millis}, open loop; returns once every one was answered. */
  public OrderTally run(int rate, long millis, Orders source) throws Exception {
    int total = OrderPlan.orders(rate, millis);
    OrderTally tally = new OrderTally(total);
    if (total == 0) {
      return tally;
    }
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> new Schedule(rate, total, source, tally, done).begin());
    done.future().await(millis + CALL_TIMEOUT_MS + 10_000, TimeUnit.MILLISECONDS);
    return tally;
  }

  /** The state of one run, touched only on the context's event loop. */
  private final class Schedule {

    private final double intervalNanos;
    private final int total;
    private final Orders source;
    private final OrderTally tally;
    private final Promise<Void> done;
    private long startNanos;
    private int next;
    private int inFlight;
    private int ended;

    Schedule(int rate, int total, Orders source, OrderTally tally, Promise<Void> done) {
      this.intervalNanos = 1e9 / rate;
      this.total = total;
      this.source = source;
      this.tally = tally;
      this.done = done;
    }

    void begin() {
      startNanos = System.nanoTime();
      sendDue();
      if (next < total) {
        vertx.setPeriodic(1, id -> {
          sendDue();
          if (next == total) {
            vertx.cancelTimer(id);
          }
        });
      }
    }

    private void sendDue() {
      long now = System.nanoTime();
      while (next < total && due(next) <= now) {
        long due = due(next);
        PlaceOrderRequest order = source.order(next++);
        if (inFlight >= MAX_IN_FLIGHT) {
          tally.notSent(Outcome.notSent(MAX_IN_FLIGHT));
          end();
          continue;
        }
        inFlight++;
        Future<Outcome> outcome = orders.placeOrder(order).map(Outcome::of).otherwise(Outcome::of);
        outcome.onComplete(ar -> {
          inFlight--;
          tally.answered((System.nanoTime() - due) / 1_000, ar.result());
          end();
        });
      }
    }

    private long due(int i) {
      return startNanos + Math.round(i * intervalNanos);
    }

    private void end() {
      if (++ended == total) {
        done.complete();
      }
    }
  }

  @Override
  public void close() throws Exception {
    grpc.close().await(10, TimeUnit.SECONDS);
  }
}
