package dev.shopmesh.bench.report;

import dev.shopmesh.bench.check.Sample;
import dev.shopmesh.bench.load.CpuMeter;
import dev.shopmesh.bench.load.H2loadRun;
import dev.shopmesh.bench.load.Scenario;
import dev.shopmesh.bench.plan.Target;

import java.util.ArrayList;
import java.util.List;

/** One h2load run of one target, and the harness's sample calls right after it. */
public record Measurement(Target target, Scenario scenario, int round, H2loadRun run, CpuMeter.CpuUse cpu, Sample sample) {

  /** Requests h2load saw fail plus sample calls answered wrongly. */
  public long errors() {
    return run.errors() + sample.wrong();
  }

  public List<String> problems() {
    List<String> problems = new ArrayList<>(run.problems());
    sample.problems().forEach(p -> problems.add("sample call: " + p));
    return problems;
  }
}
