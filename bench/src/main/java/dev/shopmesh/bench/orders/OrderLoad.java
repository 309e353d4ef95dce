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
import java.util.concurrent.TimeoutException;

/**
 * An open-loop load generator of PlaceOrder calls, in this process, with Vert.x's gRPC client and
 * the proto module's stubs, on one HTTP/2 connection (h2c, prior knowledge) to the gateway's gRPC
 * port. Order {@code i} of a run is due at {@code start + i / rate}; a 1 ms timer sends every order
 * that is due, whether or not the earlier ones were answered, and each order's latency runs from
 * the time it was due, not from when it went out: a stall of the server or of this generator shows
 * up in the figures instead of pausing the clock (no coordinated omission).
 *
 * <p>Every call carries a deadline of {@link #CALL_TIMEOUT_MS} ({@code grpc-timeout}), which the
 * mesh enforces; the generator does not cancel calls itself: a cancel is an RST_STREAM, and past
 * 200 of them in 30 s Vert.x's flood protection closes the connection, failing every call on it.
 * A call still unanswered {@link #GIVE_UP_MS} after its run ended is counted as an overload error.
 * At most {@link #MAX_IN_FLIGHT} calls are in flight (the gateway's HTTP/2 stream limit per
 * connection); a due order past that is not sent and counts as an overload error. A run may stop
 * early, once it can no longer be sustainable ({@link OrderTally#hopeless}): the orders it did not
 * send are abandoned, not errors. A run may begin with a lead-in at its rate: those orders are sent
 * on the same schedule, just before the timed ones, and only their errors count (the mesh and this
 * generator settle into the rate, as h2load's warm-up does). All of it runs on one event loop.
 *
 * <p>The warm-up is a closed loop instead ({@link #runClosed}): a few calls in flight, each answer
 * sending the next, so it never asks more than the mesh can do, cold as it is.
 */
public final class OrderLoad implements AutoCloseable {

  static final long CALL_TIMEOUT_MS = 5_000;
  static final long GIVE_UP_MS = CALL_TIMEOUT_MS + 10_000;
  static final int MAX_IN_FLIGHT = 1_000;
  static final Outcome NO_ANSWER = new Outcome(Outcome.Kind.OVERLOAD, "no answer " + GIVE_UP_MS / 1000 + " s after the run");

  private final Vertx vertx;
  private final Context context;
  private final GrpcClient grpc;
  private final OrderServiceGrpcClient orders;

  public OrderLoad(Vertx vertx, int port) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.grpc = GrpcClient.client(vertx,
      new GrpcClientOptions().setScheduleDeadlineAutomatically(false).setTimeout((int) CALL_TIMEOUT_MS)
        .setTimeoutUnit(TimeUnit.MILLISECONDS),
      new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    this.orders = OrderServiceGrpcClient.create(grpc, SocketAddress.inetSocketAddress(port, "127.0.0.1"));
  }

  /** One order, sent now; answers its outcome and its latency in µs. */
  public Timed placeOne(PlaceOrderRequest order) throws Exception {
    Promise<Timed> done = Promise.promise();
    context.runOnContext(v -> {
      long start = System.nanoTime();
      place(order).onComplete(ar -> done.tryComplete(new Timed(ar.result(), (System.nanoTime() - start) / 1_000)));
    });
    try {
      return done.future().await(GIVE_UP_MS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return new Timed(NO_ANSWER, GIVE_UP_MS * 1_000);
    }
  }

  /** An outcome and how long it took, in µs. */
  public record Timed(Outcome outcome, long micros) {
  }

  private Future<Outcome> place(PlaceOrderRequest order) {
    return orders.placeOrder(order).map(Outcome::of).otherwise(Outcome::of);
  }

  /** {@code rate} orders a second for {@code millis}, open loop, to the end; returns once every one was answered. */
  public OrderTally run(int rate, long millis, Orders source) throws Exception {
    return run(rate, 0, millis, source, Long.MAX_VALUE, false);
  }

  /**
   * {@code rate} orders a second for {@code leadInMillis} (errors counted, nothing timed), then for
   * {@code millis} (timed), open loop; returns once every order sent was answered. With
   * {@code stopWhenHopeless}, sends no more once the timed part is {@link OrderTally#hopeless}, with
   * answers from {@code lateMicros} on counted late.
   */
  public OrderTally run(int rate, long leadInMillis, long millis, Orders source, long lateMicros, boolean stopWhenHopeless)
    throws Exception {
    int leadIn = OrderPlan.orders(rate, leadInMillis);
    int timed = OrderPlan.orders(rate, millis);
    OrderTally tally = new OrderTally(timed, lateMicros);
    if (timed == 0) {
      return tally;
    }
    Schedule schedule = new Schedule(rate, leadIn, timed, source, tally, stopWhenHopeless);
    context.runOnContext(v -> schedule.begin());
    return await(schedule, leadInMillis + millis);
  }

  /** {@code concurrency} calls in flight for {@code millis}, closed loop, each timed from its send. */
  public OrderTally runClosed(int concurrency, long millis, Orders source) throws Exception {
    Loop loop = new Loop(concurrency, millis, source);
    context.runOnContext(v -> loop.begin());
    return await(loop, millis);
  }

  /** Waits for a run's last answer; past {@link #GIVE_UP_MS} after its end, counts the missing ones instead. */
  private OrderTally await(Run run, long millis) throws Exception {
    try {
      run.done.future().await(millis + GIVE_UP_MS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      Promise<Void> given = Promise.promise();
      context.runOnContext(v -> {
        run.giveUp();
        given.complete();
      });
      given.future().await(10, TimeUnit.SECONDS);
    }
    return run.tally;
  }

  /** What a run shares with {@link #await}; touched only on the context's event loop. */
  private abstract static class Run {

    final OrderTally tally;
    final Promise<Void> done = Promise.promise();
    int inFlight;
    boolean over;

    Run(OrderTally tally) {
      this.tally = tally;
    }

    /** An answer: counted, unless the run already gave up on it. */
    boolean answered(long micros, Outcome outcome) {
      if (over) {
        return false;
      }
      inFlight--;
      tally.answered(micros, outcome);
      return true;
    }

    /** An answer in a lead-in: only an error counts. */
    boolean untimed(Outcome outcome) {
      if (over) {
        return false;
      }
      inFlight--;
      if (outcome.kind() != Outcome.Kind.CONFIRMED) {
        tally.untimed(outcome);
      }
      return true;
    }

    /** Counts every call still in flight as unanswered, and ends the run. */
    void giveUp() {
      if (!over) {
        over = true;
        for (int i = 0; i < inFlight; i++) {
          tally.untimed(NO_ANSWER);
        }
        done.tryComplete();
      }
    }
  }

  /** An open-loop run. */
  private final class Schedule extends Run {

    private final double intervalNanos;
    /** Orders 0 to leadIn - 1 are the lead-in; the timed ones follow, up to total - 1. */
    private final int leadIn;
    private final int timed;
    private final int total;
    private final Orders source;
    private final boolean stopWhenHopeless;
    private long startNanos;
    private int next;
    private int ended;

    Schedule(int rate, int leadIn, int timed, Orders source, OrderTally tally, boolean stopWhenHopeless) {
      super(tally);
      this.intervalNanos = 1e9 / rate;
      this.leadIn = leadIn;
      this.timed = timed;
      this.total = leadIn + timed;
      this.source = source;
      this.stopWhenHopeless = stopWhenHopeless;
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
      if (over) {
        next = total;
        return;
      }
      if (next < total && stopWhenHopeless && tally.hopeless(timed)) {
        int rest = total - next;
        tally.abandoned(total - Math.max(next, leadIn));
        next = total;
        ended += rest - 1;
        end();
        return;
      }
      long now = System.nanoTime();
      while (next < total && due(next) <= now) {
        long due = due(next);
        boolean leading = next < leadIn;
        PlaceOrderRequest order = source.order(next++);
        if (inFlight >= MAX_IN_FLIGHT) {
          tally.untimed(Outcome.notSent(MAX_IN_FLIGHT));
          end();
          continue;
        }
        inFlight++;
        place(order).onComplete(ar -> {
          boolean counted = leading ? untimed(ar.result()) : answered((System.nanoTime() - due) / 1_000, ar.result());
          if (counted) {
            end();
          }
        });
      }
    }

    private long due(int i) {
      return startNanos + Math.round(i * intervalNanos);
    }

    private void end() {
      if (++ended == total) {
        done.tryComplete();
      }
    }
  }

  /** A closed-loop run. */
  private final class Loop extends Run {

    private final int concurrency;
    private final long millis;
    private final Orders source;
    private long endNanos;
    private int next;

    Loop(int concurrency, long millis, Orders source) {
      super(new OrderTally(1024));
      this.concurrency = concurrency;
      this.millis = millis;
      this.source = source;
    }

    void begin() {
      endNanos = System.nanoTime() + millis * 1_000_000;
      for (int i = 0; i < concurrency; i++) {
        send();
      }
    }

    private void send() {
      inFlight++;
      long sent = System.nanoTime();
      place(source.order(next++)).onComplete(ar -> {
        if (!answered((System.nanoTime() - sent) / 1_000, ar.result())) {
          return;
        }
        if (System.nanoTime() < endNanos) {
          send();
        } else if (inFlight == 0) {
          done.tryComplete();
        }
      });
    }
  }

  @Override
  public void close() throws Exception {
    grpc.close().await(10, TimeUnit.SECONDS);
  }
}
