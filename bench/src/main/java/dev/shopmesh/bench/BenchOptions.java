package dev.shopmesh.bench;

import dev.shopmesh.bench.load.RunLength;
import dev.shopmesh.bench.load.Scenario;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;

/**
 * The command line: {@code [--quick] [--out FILE] [--rounds N] [--seconds S]}.
 *
 * @param quick a smoke run: one round of a few hundred requests per target, to prove the harness
 *              and the servers work; its figures mean nothing
 * @param seconds the measured part of each timed run (each also has a 1 s warm-up of its own)
 * @param samples calls the harness checks itself after each run
 */
record BenchOptions(boolean quick, Path out, int rounds, int seconds, int samples) {

  static final String USAGE = "usage: java -jar bench/target/bench.jar [--quick] [--out FILE] [--rounds N] [--seconds S]";

  /** Before the first round, each target's JIT and connection pools get this many seconds of load. */
  static final int WARM_UP_SECONDS = 5;

  static BenchOptions parse(String[] args, Path resultsDir) {
    boolean quick = false;
    Path out = null;
    Integer rounds = null;
    int seconds = 4;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--out" -> out = Path.of(value(args, ++i, "--out"));
        case "--rounds" -> rounds = positive(value(args, ++i, "--rounds"), "--rounds");
        case "--seconds" -> seconds = positive(value(args, ++i, "--seconds"), "--seconds");
        default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'\n" + USAGE);
      }
    }
    // A smoke run never overwrites the measured results kept in the repository.
    Path defaultOut = resultsDir.resolve(quick ? "quick.json" : "latest.json");
    return new BenchOptions(quick, out != null ? out : defaultOut, rounds != null ? rounds : quick ? 1 : 3, seconds, quick ? 5 : 20);
  }

  /** How long one measured run lasts. */
  RunLength length(Scenario scenario) {
    if (quick) {
      return RunLength.requests(scenario == Scenario.THROUGHPUT ? 500 : 50);
    }
    return RunLength.timed(seconds, 1);
  }

  /** The warm-up before the first round; none in a quick run. */
  RunLength warmUp() {
    return quick ? null : RunLength.timed(WARM_UP_SECONDS, 0);
  }

  String describe() {
    return (quick ? "QUICK smoke run (figures mean nothing), " : "")
      + rounds + " round(s), servers alternating in each; each run: throughput " + length(Scenario.THROUGHPUT)
      + ", latency " + length(Scenario.LATENCY) + (quick ? "" : "; " + WARM_UP_SECONDS + " s warm-up per target first")
      + "; " + samples + " sample calls checked after each run";
  }

  JsonObject toJson() {
    return new JsonObject().put("quick", quick).put("rounds", rounds).put("seconds", quick ? 0 : seconds)
      .put("throughputRun", length(Scenario.THROUGHPUT).toString()).put("latencyRun", length(Scenario.LATENCY).toString())
      .put("sampleCalls", samples).put("description", describe());
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value\n" + USAGE);
    }
    return args[i];
  }

  private static int positive(String text, String flag) {
    try {
      int n = Integer.parseInt(text);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException(flag + " must be a positive whole number, got '" + text + "'");
  }
}
