package dev.shopmesh.bench;

import dev.shopmesh.bench.load.Scenario;
import dev.shopmesh.bench.orders.Store;
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

  @Test
  void runsBothPartsUnlessToldToRunOne() {
    assertThat(BenchOptions.parse(new String[0], RESULTS).parts())
      .containsExactlyInAnyOrder(BenchOptions.Part.H2LOAD, BenchOptions.Part.ORDERS);

    BenchOptions orders = BenchOptions.parse(new String[] {"--only", "orders"}, RESULTS);
    assertThat(orders.parts()).containsExactly(BenchOptions.Part.ORDERS);
    // A part of the benchmark does not overwrite the whole run kept in the repository.
    assertThat(orders.out()).isEqualTo(RESULTS.resolve("only-orders.json"));
    assertThat(BenchOptions.parse(new String[] {"--only", "orders,h2load"}, RESULTS).out()).isEqualTo(RESULTS.resolve("latest.json"));
    assertThat(BenchOptions.parse(new String[] {"--quick", "--only", "h2load"}, RESULTS).out()).isEqualTo(RESULTS.resolve("quick.json"));
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--only", "hello"}, RESULTS)).hasMessageContaining("--only takes");
  }

  @Test
  void theOrderBenchmarkRunsOnTheEmbeddedStoreAndOnPostgresqlWhenGivenOne() {
    BenchOptions plain = BenchOptions.parse(new String[0], RESULTS);
    assertThat(plain.stores()).containsExactly(Store.EMBEDDED);
    assertThat(plain.orderPlan().fixedRate()).isEqualTo(1_000);
    assertThat(plain.pin()).isFalse();

    BenchOptions pg = BenchOptions.parse(new String[] {"--postgres", "postgresql://u:p@127.0.0.1:5432/db", "--order-rate", "500", "--pin"}, RESULTS);
    assertThat(pg.stores()).extracting(Store::name).containsExactly("embedded", "postgres");
    assertThat(pg.orderPlan().fixedRate()).isEqualTo(500);
    assertThat(pg.pin()).isTrue();
    assertThat(pg.toJson().encode()).doesNotContain("u:p@");

    assertThat(BenchOptions.parse(new String[] {"--quick"}, RESULTS).orderPlan().quick()).isTrue();
    assertThat(BenchOptions.parse(new String[] {"--no-pin"}, RESULTS).h2loadPinning()).isNull();
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--pin", "--no-pin"}, RESULTS)).hasMessageContaining("contradict");
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--postgres", "mysql://x"}, RESULTS)).hasMessageContaining("postgresql://");
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--order-rate", "0"}, RESULTS)).hasMessageContaining("positive");
  }
}
