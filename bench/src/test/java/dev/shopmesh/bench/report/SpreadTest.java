package dev.shopmesh.bench.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SpreadTest {

  @Test
  void medianOfAnOddAndAnEvenCount() {
    assertThat(Spread.of(List.of(3.0, 1.0, 2.0))).isEqualTo(new Spread(1, 2, 3));
    assertThat(Spread.of(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(new Spread(1, 2.5, 4));
  }

  @Test
  void nothingMeasuredIsNotANumber() {
    assertThat(Spread.of(List.of()).median()).isNaN();
  }
}
