package dev.shopmesh.bench.orders;

import dev.shopmesh.bench.load.CpuMeter;
import dev.shopmesh.bench.load.Latencies;
import dev.shopmesh.bench.load.ProcessMemory;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OrderResultTest {

  private static OrderStep step(String phase, long overload, long wrong) {
    return new OrderStep(phase, 100, 0, 1_000, 100, 100 - overload - wrong, overload, wrong, 0,
      new Latencies(100, 1_000, 2_000, 3_000, 4_000, (int) (overload + wrong)), overload + wrong > 0 ? Map.of("x", overload + wrong) : Map.of(),
      CpuMeter.CpuUse.UNKNOWN);
  }

  private static OrderResult result(OrderStep warmUp, OrderStep fixed, List<OrderStep> ramp) {
    return new OrderResult(Store.EMBEDDED, OrderPlan.smoke(), null, 2_000, 2_500, 40_000, ProcessMemory.UNKNOWN, ProcessMemory.UNKNOWN,
      ProcessMemory.UNKNOWN, ProcessMemory.UNKNOWN, warmUp, ramp, fixed, 100, false);
  }

  @Test
  void overloadInARampStepIsTheMeasurementNotAFailure() {
    OrderResult r = result(step("warm-up", 0, 0), step("fixed", 0, 0), List.of(step("ramp", 0, 0), step("ramp", 30, 0)));

    assertThat(r.failingErrors()).isZero();
    assertThat(r.failures()).isEmpty();
    assertThat(r.fixedMeetsTarget()).isTrue();
  }

  @Test
  void aWrongAnswerAnywhereAndAnyErrorAtTheFixedRateFail() {
    OrderResult r = result(step("warm-up", 1, 0), step("fixed", 2, 0), List.of(step("ramp", 30, 4)));

    assertThat(r.failingErrors()).isEqualTo(1 + 2 + 4);
    assertThat(r.failures()).hasSize(3);
    assertThat(r.failures().get(1)).startsWith("orders embedded ramp 100/s: 4 failing errors");
    assertThat(r.fixedMeetsTarget()).isFalse();
  }
}
