package dev.shopmesh.bench.load;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LatenciesTest {

  @Test
  void percentilesByNearestRankFromTheThirdColumn() throws IOException {
    // 1..100 µs, out of order as h2load writes them (by end of response).
    String log = IntStream.rangeClosed(1, 100).map(i -> 101 - i)
      .mapToObj(us -> "1795622582179610\t200\t" + us).collect(Collectors.joining("\n"));

    Latencies l = Latencies.of(new BufferedReader(new StringReader(log)));

    assertThat(l.count()).isEqualTo(100);
    assertThat(l.p50Micros()).isEqualTo(50);
    assertThat(l.p90Micros()).isEqualTo(90);
    assertThat(l.p99Micros()).isEqualTo(99);
    assertThat(l.maxMicros()).isEqualTo(100);
    assertThat(l.notOk()).isZero();
  }

  @Test
  void countsFailedStreamsAndNon2xx() throws IOException {
    String log = "1\t200\t10\n2\t-1\t20\n\n3\t503\t30\n";

    Latencies l = Latencies.of(new BufferedReader(new StringReader(log)));

    assertThat(l.count()).isEqualTo(3);
    assertThat(l.notOk()).isEqualTo(2);
    assertThat(l.p50Micros()).isEqualTo(20);
  }

  @Test
  void aRequestAnsweredDuringTheWarmUpIsNoFailure() throws IOException {
    // h2load logs status 0 for a request whose headers came in the warm-up and which ended later.
    Latencies l = Latencies.of(new BufferedReader(new StringReader("1795623464367202\t0\t271349\n2\t200\t10\n")));

    assertThat(l.notOk()).isZero();
    assertThat(l.count()).isEqualTo(2);
  }

  @Test
  void anEmptyLogHasNoFigures() throws IOException {
    assertThat(Latencies.of(new BufferedReader(new StringReader("")))).isEqualTo(Latencies.NONE);
  }

  @Test
  void refusesARowItCannotRead() {
    assertThatThrownBy(() -> Latencies.of(new BufferedReader(new StringReader("1\t200\n"))))
      .hasMessageContaining("3 columns");
  }

  @Test
  void aSingleValueIsEveryPercentile() {
    assertThat(Latencies.percentile(new long[] {7}, 50)).isEqualTo(7);
    assertThat(Latencies.percentile(new long[] {7}, 99)).isEqualTo(7);
  }

  @Test
  void percentilesOfALoadGeneratorsOwnLatenciesLeaveItsArrayAlone() {
    long[] micros = {30, 10, 20, 99, 99};

    Latencies l = Latencies.of(micros, 3, 1);

    assertThat(l).isEqualTo(new Latencies(3, 20, 30, 30, 30, 1));
    assertThat(micros).containsExactly(30, 10, 20, 99, 99);
  }
}
