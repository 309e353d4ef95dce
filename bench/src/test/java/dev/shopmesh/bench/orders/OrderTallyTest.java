package dev.shopmesh.bench.orders;

import dev.shopmesh.bench.load.Latencies;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OrderTallyTest {

  private static final Outcome TIMEOUT = new Outcome(Outcome.Kind.OVERLOAD, "gRPC DEADLINE_EXCEEDED");
  private static final Outcome OUT_OF_STOCK = new Outcome(Outcome.Kind.WRONG, "order REJECTED (OUT_OF_STOCK)");

  @Test
  void percentilesOverEveryAnsweredCallAndCountsByKind() {
    OrderTally tally = new OrderTally(4);
    // 1..100 ms, out of order, as answers come; more than the expected count.
    for (int ms = 100; ms >= 1; ms--) {
      tally.answered(ms * 1_000L, ms == 100 ? TIMEOUT : Outcome.CONFIRMED);
    }

    Latencies l = tally.latencies();
    assertThat(l.count()).isEqualTo(100);
    assertThat(l.p50Micros()).isEqualTo(50_000);
    assertThat(l.p99Micros()).isEqualTo(99_000);
    assertThat(l.maxMicros()).isEqualTo(100_000);
    assertThat(l.notOk()).isEqualTo(1);
    assertThat(tally.confirmed()).isEqualTo(99);
    assertThat(tally.overload()).isEqualTo(1);
    assertThat(tally.wrong()).isZero();
    assertThat(tally.problems()).containsExactly(java.util.Map.entry("gRPC DEADLINE_EXCEEDED", 1L));
  }

  @Test
  void aCallNeverSentIsAnErrorWithoutALatency() {
    OrderTally tally = new OrderTally(2);
    tally.answered(3_000, Outcome.CONFIRMED);
    tally.untimed(Outcome.notSent(1_000));

    assertThat(tally.latencies().count()).isEqualTo(1);
    assertThat(tally.errors()).isEqualTo(1);
    assertThat(tally.problems()).containsKey("not sent: 1000 calls already in flight");
  }

  @Test
  void keepsTenDistinctProblemsAndCountsTheRestTogether() {
    OrderTally tally = new OrderTally(0);
    for (int i = 0; i < 12; i++) {
      tally.answered(1, new Outcome(Outcome.Kind.WRONG, "problem " + i));
    }
    tally.answered(1, new Outcome(Outcome.Kind.WRONG, "problem 0"));
    tally.answered(1, OUT_OF_STOCK);

    assertThat(tally.problems()).hasSize(OrderTally.DISTINCT_PROBLEMS + 1);
    assertThat(tally.problems().get("problem 0")).isEqualTo(2);
    assertThat(tally.problems().get(OrderTally.OTHER)).isEqualTo(3);
    assertThat(tally.wrong()).isEqualTo(14);
  }

  @Test
  void nothingAnsweredHasNoFigures() {
    assertThat(new OrderTally(10).latencies()).isEqualTo(Latencies.NONE);
  }

  @Test
  void aRunIsHopelessOnceAnyErrorOrMoreThanOnePercentLateAnswers() {
    OrderTally tally = new OrderTally(1_000, 50_000);
    for (int i = 0; i < 10; i++) {
      tally.answered(50_000, Outcome.CONFIRMED);
    }
    // 10 late of 1000: the p99 (rank 990) can still be below the mark.
    assertThat(tally.hopeless(1_000)).isFalse();
    tally.answered(60_000, Outcome.CONFIRMED);
    assertThat(tally.hopeless(1_000)).isTrue();

    OrderTally failed = new OrderTally(1_000, 50_000);
    failed.answered(1_000, new Outcome(Outcome.Kind.OVERLOAD, "gRPC UNAVAILABLE"));
    assertThat(failed.hopeless(1_000)).isTrue();
    failed.abandoned(999);
    assertThat(failed.abandoned()).isEqualTo(999);
    assertThat(failed.errors()).isEqualTo(1);
  }
}
