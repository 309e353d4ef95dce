package dev.shopmesh.bench.orders;

import dev.shopmesh.bench.serve.BenchServer;
import dev.shopmesh.bench.serve.Ports;
import dev.shopmesh.bench.serve.ServerKind;
import dev.shopmesh.proto.order.v1.PlaceOrderRequest;
import dev.shopmesh.proto.payment.v1.Card;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load generator against the mesh as the benchmark starts it (here in this JVM): its orders are
 * confirmed end to end, and an order the mesh rejects, or one that reuses a key for another order,
 * is counted as a wrong answer, not a success.
 */
@ExtendWith(VertxExtension.class)
class OrderLoadTest {

  private static BenchServer mesh;
  private static Vertx vertx;
  private static OrderLoad load;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    mesh = ServerKind.SHOPMESH.newServer();
    Ports ports = mesh.start();
    OrderLoadTest.vertx = vertx;
    load = new OrderLoad(vertx, ports.grpc());
  }

  @AfterAll
  static void stop() throws Exception {
    if (load != null) {
      load.close();
    }
    if (mesh != null) {
      mesh.stop();
    }
  }

  @Test
  void placesEveryOrderOfAnOpenLoopRunAndTimesEachOne() throws Exception {
    OrderTally tally = load.run(100, 200, new Orders("test-run"));

    assertThat(tally.problems()).isEmpty();
    assertThat(tally.confirmed()).isEqualTo(20);
    assertThat(tally.latencies().count()).isEqualTo(20);
    assertThat(tally.latencies().p50Micros()).isPositive();
  }

  @Test
  void stopsSendingOnceTheRunCannotBeSustainable() throws Exception {
    // Every answer counts as late (1 µs): the first one makes the run hopeless. A run of 10 s, so
    // that it has orders left to abandon however late that first answer comes on a busy machine
    // (in 500 ms, a loaded build sent all 50 before it came); it ends as soon as it stops.
    OrderTally tally = load.run(100, 0, 10_000, new Orders("test-stopped"), 1, true);

    assertThat(tally.abandoned()).isPositive();
    assertThat(tally.confirmed() + tally.abandoned()).isEqualTo(1_000);
    assertThat(tally.errors()).isZero();
  }

  @Test
  void aLeadInIsSentButNotTimed() throws Exception {
    OrderTally tally = load.run(100, 100, 200, new Orders("test-lead-in"), 1, false);

    // 10 lead-in orders, then 20 timed ones: only those are counted as confirmed, and timed.
    assertThat(tally.problems()).isEmpty();
    assertThat(tally.confirmed()).isEqualTo(20);
    assertThat(tally.latencies().count()).isEqualTo(20);
  }

  @Test
  void aClosedLoopKeepsItsCallsInFlightForItsTime() throws Exception {
    OrderTally tally = load.runClosed(2, 200, new Orders("test-closed"));

    assertThat(tally.problems()).isEmpty();
    assertThat(tally.confirmed()).isGreaterThanOrEqualTo(2);
    assertThat(tally.latencies().count()).isEqualTo((int) tally.confirmed());
  }

  @Test
  void aDeclinedCardIsAWrongAnswer() throws Exception {
    PlaceOrderRequest declined = new Orders("test-declined").order(0).toBuilder()
      .setPayment(Card.newBuilder().setCardNumber("4000000000000002").setExpiry("12/39").setCvv("123")).build();

    assertThat(load.placeOne(declined).outcome()).isEqualTo(new Outcome(Outcome.Kind.WRONG, "order REJECTED (PAYMENT_DECLINED)"));
  }

  @Test
  void aKeyReusedForAnotherOrderIsAWrongAnswer() throws Exception {
    PlaceOrderRequest first = new Orders("test-reused").order(0);
    PlaceOrderRequest other = new Orders("test-reused").order(1).toBuilder().setIdempotencyKey(first.getIdempotencyKey()).build();

    assertThat(load.placeOne(first).outcome()).isEqualTo(Outcome.CONFIRMED);
    Outcome reused = load.placeOne(other).outcome();
    assertThat(reused.kind()).isEqualTo(Outcome.Kind.WRONG);
    assertThat(reused.problem()).startsWith("gRPC ALREADY_EXISTS");
  }

  @Test
  void theSameKeyForTheSameOrderAnswersTheFirstOrderAgain() throws Exception {
    PlaceOrderRequest order = new Orders("test-replayed").order(0);

    assertThat(load.placeOne(order).outcome()).isEqualTo(Outcome.CONFIRMED);
    assertThat(load.placeOne(order).outcome()).isEqualTo(Outcome.CONFIRMED);
  }
}
