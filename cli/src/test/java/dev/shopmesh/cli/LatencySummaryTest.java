package dev.shopmesh.cli;

import org.junit.jupiter.api.Test;

import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class LatencySummaryTest {

  private static long[] millisAsNanos(long... millis) {
    return LongStream.of(millis).map(ms -> ms * 1_000_000).toArray();
  }

  @Test
  void percentilesOfOneToHundredAreByNearestRank() {
    long[] shuffled = millisAsNanos(LongStream.rangeClosed(1, 100).map(i -> (i * 37) % 100 + 1).toArray());

    LatencySummary summary = LatencySummary.ofNanos(shuffled);

    assertThat(summary.p50Millis()).isEqualTo(50.0);
    assertThat(summary.p99Millis()).isEqualTo(99.0);
    assertThat(summary.maxMillis()).isEqualTo(100.0);
  }

  @Test
  void p99OfAThousandIsTheNineHundredNinetiethValue() {
    LatencySummary summary = LatencySummary.ofNanos(millisAsNanos(LongStream.rangeClosed(1, 1000).toArray()));

    assertThat(summary.p50Millis()).isEqualTo(500.0);
    assertThat(summary.p99Millis()).isEqualTo(990.0);
    assertThat(summary.maxMillis()).isEqualTo(1000.0);
  }

  @Test
  void aFewValuesReportOnlyMeasuredOnes() {
    LatencySummary summary = LatencySummary.ofNanos(millisAsNanos(30, 10, 20));

    assertThat(summary.p50Millis()).isEqualTo(20.0);
    assertThat(summary.p99Millis()).isEqualTo(30.0);
    assertThat(summary.maxMillis()).isEqualTo(30.0);
  }

  @Test
  void oneValueIsEveryPercentile() {
    LatencySummary summary = LatencySummary.ofNanos(new long[] {1_500_000});

    assertThat(summary).isEqualTo(new LatencySummary(1.5, 1.5, 1.5));
  }

  @Test
  void noValuesSummarizeToZero() {
    assertThat(LatencySummary.ofNanos(new long[0])).isEqualTo(new LatencySummary(0, 0, 0));
  }

  @Test
  void theCallersArrayIsLeftUnsorted() {
    long[] latencies = {3, 1, 2};

    LatencySummary.ofNanos(latencies);

    assertThat(latencies).containsExactly(3, 1, 2);
  }
}
