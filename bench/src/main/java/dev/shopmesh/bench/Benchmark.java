package dev.shopmesh.bench;

import dev.shopmesh.bench.check.ResponseCheck;
import dev.shopmesh.bench.check.Sample;
import dev.shopmesh.bench.load.CpuMeter;
import dev.shopmesh.bench.load.H2load;
import dev.shopmesh.bench.load.H2loadRun;
import dev.shopmesh.bench.load.RunLength;
import dev.shopmesh.bench.load.Scenario;
import dev.shopmesh.bench.plan.Target;
import dev.shopmesh.bench.report.Measurement;
import dev.shopmesh.bench.serve.Quiet;
import dev.shopmesh.bench.serve.ServerKind;
import dev.shopmesh.bench.serve.ServerProcess;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The runs, in order: check every target answers correctly, warm each up, then rounds in which
 * every target runs once per scenario, one after the other (A B C… A B C…), so a change in what
 * else the machine is doing spreads over all targets instead of landing on one. Before each
 * measured run the servers are let go idle, and after it a sample of calls is checked.
 */
final class Benchmark {

  private static final long QUIET_TIMEOUT_MS = 15_000;

  private final BenchOptions options;
  private final Map<ServerKind, ServerProcess> servers;
  private final H2load h2load;
  private final ResponseCheck check;
  private final PrintStream progress;

  Benchmark(BenchOptions options, Map<ServerKind, ServerProcess> servers, H2load h2load, ResponseCheck check, PrintStream progress) {
    this.options = options;
    this.servers = servers;
    this.h2load = h2load;
    this.check = check;
    this.progress = progress;
  }

  List<Measurement> run() throws Exception {
    for (Target target : Target.ALL) {
      Sample sample = sample(target);
      if (sample.wrong() > 0) {
        throw new BenchFailure(target.label() + " answers wrongly before any load: " + sample.problems());
      }
    }
    RunLength warmUp = options.warmUp();
    if (warmUp != null) {
      for (Target target : Target.ALL) {
        progress.printf("warming up %s (%s)%n", target.label(), warmUp);
        H2loadRun run = h2load.run(port(target), target.call(), Scenario.THROUGHPUT.shape(target.call().protocol()), warmUp);
        if (!run.problems().isEmpty()) {
          throw new BenchFailure(target.label() + " failed during warm-up: " + run.problems());
        }
      }
    }
    List<Measurement> measurements = new ArrayList<>();
    for (int round = 1; round <= options.rounds(); round++) {
      for (Scenario scenario : Scenario.values()) {
        for (Target target : Target.ALL) {
          Measurement m = measure(target, scenario, round);
          measurements.add(m);
          progress.printf(Locale.ROOT, "round %d/%d %-10s %-28s %9.0f req/s  p50 %8.3f ms  p99 %8.3f ms  cores: server %.2f h2load %.2f  %s%n",
            round, options.rounds(), scenario.label(), target.label(), m.run().report().requestsPerSecond(),
            m.run().latencies().p50Micros() / 1000.0, m.run().latencies().p99Micros() / 1000.0,
            m.cpu().serverCores(), m.cpu().clientCores(),
            m.errors() == 0 ? "ok" : m.errors() + " errors: " + m.problems());
        }
      }
    }
    return measurements;
  }

  private Measurement measure(Target target, Scenario scenario, int round) throws Exception {
    if (!options.quick() && Quiet.await(List.copyOf(servers.values()), QUIET_TIMEOUT_MS) < 0) {
      progress.println("the servers were still busy after " + QUIET_TIMEOUT_MS + " ms; measuring anyway");
    }
    CpuMeter cpu = CpuMeter.start(servers.get(target.server()).pid());
    H2loadRun run = h2load.run(port(target), target.call(), scenario.shape(target.call().protocol()), options.length(scenario));
    CpuMeter.CpuUse used = cpu.stop();
    return new Measurement(target, scenario, round, run, used, sample(target));
  }

  private Sample sample(Target target) throws Exception {
    try {
      return check.sample(port(target), target.call(), options.samples()).await(60, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      return new Sample(options.samples(), options.samples(), List.of("no answers within 60 s"));
    }
  }

  private int port(Target target) {
    return target.port(servers.get(target.server()).ports());
  }
}
