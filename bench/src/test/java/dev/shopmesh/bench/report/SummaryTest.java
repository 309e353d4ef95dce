package dev.shopmesh.bench.report;

import dev.shopmesh.bench.check.Sample;
import dev.shopmesh.bench.load.CpuMeter;
import dev.shopmesh.bench.load.H2loadReport;
import dev.shopmesh.bench.load.H2loadRun;
import dev.shopmesh.bench.load.Latencies;
import dev.shopmesh.bench.load.Scenario;
import dev.shopmesh.bench.plan.Target;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SummaryTest {

  private static final Target GATEWAY = target("shopmesh-grpc-sayhello");
  private static final Target GRPC_JAVA = target("grpc-java-grpc-sayhello");

  /**
   * A machine that slows down and speeds up between rounds: the ratio of the medians mixes rounds,
   * each round's own ratio does not, and the report shows how far it moved.
   */
  @Test
  void eachRoundIsComparedWithinItself() {
    Summary summary = Summary.of(List.of(
      run(GATEWAY, 1, 100), run(GRPC_JAVA, 1, 200),
      run(GATEWAY, 2, 150), run(GRPC_JAVA, 2, 100),
      run(GATEWAY, 3, 90), run(GRPC_JAVA, 3, 100)));
    Ratio ratio = summary.ratios().stream().filter(r -> r.title().equals("SayHello: shopmesh / grpc-java")).findFirst().orElseThrow();
    assertThat(ratio.requestsPerSecond()).isEqualTo(1.0);
    assertThat(ratio.requestsPerSecondByRound()).isEqualTo(new Spread(0.5, 0.9, 1.5));
  }

  @Test
  void aRoundOnlyOneOfTheTwoRanInIsLeftOut() {
    Summary summary = Summary.of(List.of(run(GATEWAY, 1, 100), run(GRPC_JAVA, 1, 80), run(GATEWAY, 2, 300)));
    Ratio ratio = summary.ratios().get(0);
    assertThat(ratio.requestsPerSecondByRound().median()).isCloseTo(1.25, within(1e-9));
    assertThat(ratio.requestsPerSecondByRound().max()).isCloseTo(1.25, within(1e-9));
  }

  private static Target target(String id) {
    return Target.ALL.stream().filter(t -> t.id().equals(id)).findFirst().orElseThrow();
  }

  private static Measurement run(Target target, int round, double requestsPerSecond) {
    H2loadReport report = new H2loadReport(requestsPerSecond, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 0, 60, 0, 0, 0, 0, 0);
    return new Measurement(target, Scenario.values()[0], round, new H2loadRun("h2load", report, Latencies.NONE),
      CpuMeter.CpuUse.UNKNOWN, new Sample(0, 0, List.of()));
  }
}
