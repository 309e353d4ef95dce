package dev.shopmesh.bench.orders;

import dev.shopmesh.bench.load.CpuMeter;
import dev.shopmesh.bench.load.Latencies;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OrderStepTest {

  private static OrderStep step(long confirmed, long overload, long wrong, long p99Micros) {
    return step(confirmed, overload, wrong, 0, p99Micros);
  }

  private static OrderStep step(long confirmed, long overload, long wrong, long abandoned, long p99Micros) {
    return new OrderStep("ramp", 500, 0, 5_000, 2_500, confirmed, overload, wrong, abandoned,
      new Latencies((int) (confirmed + overload + wrong), 1_000, 2_000, p99Micros, p99Micros + 1, 0), Map.of(),
      CpuMeter.CpuUse.UNKNOWN);
  }

  @Test
  void sustainableIsEveryOrderConfirmedAndAP99BelowTheLimit() {
    assertThat(step(2_500, 0, 0, 49_999).sustainable(50)).isTrue();
    assertThat(step(2_500, 0, 0, 49_999).verdict(50)).isEqualTo("sustainable");
    assertThat(step(2_500, 0, 0, 50_000).sustainable(50)).isFalse();
    assertThat(step(2_500, 0, 0, 50_000).verdict(50)).isEqualTo("p99 ≥ 50 ms");
  }

  @Test
  void anyErrorOrAMissingOrderIsNotSustainable() {
    assertThat(step(2_499, 1, 0, 1_000).sustainable(50)).isFalse();
    assertThat(step(2_499, 0, 1, 1_000).verdict(50)).isEqualTo("1 errors");
    assertThat(step(2_000, 0, 0, 1_000).verdict(50)).isEqualTo("only 2000 of 2500 confirmed");
  }

  @Test
  void aStepStoppedEarlySaysWhyAndWhen() {
    OrderStep stopped = step(300, 0, 0, 2_200, 80_000);

    assertThat(stopped.sustainable(50)).isFalse();
    assertThat(stopped.verdict(50)).isEqualTo("p99 ≥ 50 ms, stopped after 300 of 2500");
    assertThat(stopped.load()).isEqualTo("500");
    assertThat(stopped.confirmedPerSecond()).isNaN();
  }

  @Test
  void aClosedLoopRunCountsTheOrdersItCameTo() {
    OrderTally tally = new OrderTally(4);
    tally.answered(2_000, Outcome.CONFIRMED);
    tally.answered(3_000, Outcome.CONFIRMED);
    tally.answered(4_000, new Outcome(Outcome.Kind.OVERLOAD, "gRPC UNAVAILABLE"));

    OrderStep warmUp = OrderStep.closed("warm-up", 8, 1_000, tally, CpuMeter.CpuUse.UNKNOWN);

    assertThat(warmUp.scheduled()).isEqualTo(3);
    assertThat(warmUp.errors()).isEqualTo(1);
    assertThat(warmUp.load()).isEqualTo("×8 closed");
    assertThat(warmUp.confirmedPerSecond()).isEqualTo(2.0);
  }

  @Test
  void confirmedPerSecondOfTheSchedule() {
    assertThat(step(2_500, 0, 0, 1).confirmedPerSecond()).isEqualTo(500.0);
  }
}
