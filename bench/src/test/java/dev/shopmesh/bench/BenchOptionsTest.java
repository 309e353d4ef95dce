package dev.shopmesh.bench;

import dev.shopmesh.bench.load.Scenario;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchOptionsTest {

  private static final Path RESULTS = Path.of("bench", "results");

  @Test
  void aFullRunRepeatsThreeTimesAndWritesLatest() {
    BenchOptions o = BenchOptions.parse(new String[0], RESULTS);

    assertThat(o.rounds()).isEqualTo(3);
    assertThat(o.out()).isEqualTo(RESULTS.resolve("latest.json"));
    assertThat(o.length(Scenario.THROUGHPUT).timed()).isTrue();
    assertThat(o.warmUp()).isNotNull();
  }

  @Test
  void aQuickRunCountsRequestsAndLeavesTheMeasuredResultsAlone() {
    BenchOptions o = BenchOptions.parse(new String[] {"--quick"}, RESULTS);

    assertThat(o.rounds()).isEqualTo(1);
    assertThat(o.out()).isEqualTo(RESULTS.resolve("quick.json"));
    assertThat(o.length(Scenario.LATENCY).timed()).isFalse();
    assertThat(o.warmUp()).isNull();
  }

  @Test
  void takesAnOutputFileRoundsAndSeconds() {
    BenchOptions o = BenchOptions.parse(new String[] {"--out", "/tmp/x.json", "--rounds", "5", "--seconds", "10"}, RESULTS);

    assertThat(o.out()).isEqualTo(Path.of("/tmp/x.json"));
    assertThat(o.rounds()).isEqualTo(5);
    assertThat(o.length(Scenario.THROUGHPUT).seconds()).isEqualTo(10);
  }

  @Test
  void refusesWhatItDoesNotKnow() {
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--fast"}, RESULTS)).hasMessageContaining("unknown argument '--fast'");
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--rounds", "0"}, RESULTS)).hasMessageContaining("positive");
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--out"}, RESULTS)).hasMessageContaining("needs a value");
  }
}
