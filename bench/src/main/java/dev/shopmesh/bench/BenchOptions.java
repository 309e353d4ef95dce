package dev.shopmesh.bench;

import dev.shopmesh.bench.load.RunLength;
import dev.shopmesh.bench.load.Scenario;
import dev.shopmesh.bench.orders.OrderPlan;
import dev.shopmesh.bench.orders.Store;
import dev.shopmesh.bench.serve.Pinning;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The command line: {@code [--quick] [--only PARTS] [--out FILE] [--rounds N] [--seconds S]
 * [--order-rate R] [--postgres URL] [--pin | --no-pin]}.
 *
 * @param quick     a smoke run: one round of a few hundred requests per target and a few seconds of
 *                  orders, to prove the harness and the servers work; its figures mean nothing
 * @param parts     what to run: the h2load comparisons, the order benchmark, or both (the default)
 * @param seconds   the measured part of each timed h2load run (each also has a 1 s warm-up of its own)
 * @param samples   calls the harness checks itself after each h2load run
 * @param orderRate the order benchmark's fixed open-loop rate, orders per second
 * @param postgres  the URL of a PostgreSQL database for a second order benchmark, or null
 * @param pin       pin the order benchmark's mesh process and load generator to different CPUs
 * @param h2loadPinning where h2load and the servers it measures run, or null: not pinned
 *                  ({@code --no-pin}, or a machine that does not allow it, see {@link Pinning#whereAllowed})
 */
record BenchOptions(boolean quick, Set<Part> parts, Path out, int rounds, int seconds, int samples, int orderRate,
                    String postgres, boolean pin, Pinning h2loadPinning) {

  static final String USAGE = "usage: java -jar bench/target/bench.jar [--quick] [--only h2load|orders] [--out FILE]"
    + " [--rounds N] [--seconds S] [--order-rate R] [--postgres URL] [--pin | --no-pin]";

  /** Before the first round, each target's JIT and connection pools get this many seconds of load. */
  static final int WARM_UP_SECONDS = 5;

  /** The parts of the benchmark, as {@code --only} names them. */
  enum Part {
    /** SayHello on three servers, gRPC against REST on the gateway: h2load. */
    H2LOAD,
    /** PlaceOrder end to end and the mesh's footprint: the harness's own load generator. */
    ORDERS;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Part of(String label) {
      for (Part part : values()) {
        if (part.label().equals(label.trim())) {
          return part;
        }
      }
      throw new IllegalArgumentException("--only takes h2load, orders or both (h2load,orders), got '" + label + "'");
    }
  }

  BenchOptions {
    parts = Set.copyOf(parts);
  }

  static BenchOptions parse(String[] args, Path resultsDir) {
    boolean quick = false;
    Set<Part> parts = EnumSet.allOf(Part.class);
    Path out = null;
    Integer rounds = null;
    int seconds = 4;
    int orderRate = OrderPlan.DEFAULT_FIXED_RATE;
    String postgres = null;
    boolean pin = false;
    boolean noPin = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--only" -> parts = parts(value(args, ++i, "--only"));
        case "--out" -> out = Path.of(value(args, ++i, "--out"));
        case "--rounds" -> rounds = positive(value(args, ++i, "--rounds"), "--rounds");
        case "--seconds" -> seconds = positive(value(args, ++i, "--seconds"), "--seconds");
        case "--order-rate" -> orderRate = positive(value(args, ++i, "--order-rate"), "--order-rate");
        case "--postgres" -> postgres = Store.postgres(value(args, ++i, "--postgres")).dbUrl();
        case "--pin" -> pin = true;
        case "--no-pin" -> noPin = true;
        default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'\n" + USAGE);
      }
    }
    if (pin && noPin) {
      throw new IllegalArgumentException("--pin and --no-pin contradict each other\n" + USAGE);
    }
    if (orderRate > 100_000) {
      throw new IllegalArgumentException("--order-rate must be at most 100000, got " + orderRate);
    }
    // Neither a smoke run nor a part of the benchmark overwrites the measured results kept in the repository.
    String name = quick ? "quick.json"
      : parts.size() == Part.values().length ? "latest.json"
      : "only-" + parts.stream().map(Part::label).sorted().collect(Collectors.joining("-")) + ".json";
    return new BenchOptions(quick, parts, out != null ? out : resultsDir.resolve(name), rounds != null ? rounds : quick ? 1 : 3,
      seconds, quick ? 5 : 20, orderRate, postgres, pin, noPin ? null : pinningWhereAllowed());
  }

  private static Pinning pinningWhereAllowed() {
    try {
      return Pinning.whereAllowed();
    } catch (IOException e) {
      return null;
    }
  }

  private static Set<Part> parts(String list) {
    Set<Part> parts = EnumSet.noneOf(Part.class);
    for (String label : list.split(",")) {
      parts.add(Part.of(label));
    }
    return parts;
  }

  boolean runs(Part part) {
    return parts.contains(part);
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

  /** The order benchmark's runs. */
  OrderPlan orderPlan() {
    return quick ? OrderPlan.smoke() : OrderPlan.measured(orderRate);
  }

  /** The stores the order benchmark runs on, each with a mesh process of its own. */
  List<Store> stores() {
    List<Store> stores = new ArrayList<>(List.of(Store.EMBEDDED));
    if (postgres != null) {
      stores.add(Store.postgres(postgres));
    }
    return stores;
  }

  String describe() {
    List<String> said = new ArrayList<>();
    if (runs(Part.H2LOAD)) {
      said.add(rounds + " round(s), servers alternating in each; each run: throughput " + length(Scenario.THROUGHPUT)
        + ", latency " + length(Scenario.LATENCY) + (quick ? "" : "; " + WARM_UP_SECONDS + " s warm-up per target first")
        + "; " + samples + " sample calls checked after each run; "
        + (h2loadPinning == null ? "not pinned" : "pinned: h2load on CPU " + Pinning.cpuList(h2loadPinning.client())
          + ", the three servers on CPU " + Pinning.cpuList(h2loadPinning.server())));
    }
    if (runs(Part.ORDERS)) {
      said.add("orders on " + stores().stream().map(Store::name).collect(Collectors.joining(" and ")) + ": "
        + orderPlan().describe() + (pin ? "; server and load generator pinned apart" : ""));
    }
    return (quick ? "QUICK smoke run (figures mean nothing), " : "") + String.join("\n         ", said);
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject().put("quick", quick)
      .put("parts", new JsonArray(parts.stream().map(Part::label).sorted().toList()));
    if (runs(Part.H2LOAD)) {
      json.put("rounds", rounds).put("seconds", quick ? 0 : seconds)
        .put("throughputRun", length(Scenario.THROUGHPUT).toString()).put("latencyRun", length(Scenario.LATENCY).toString())
        .put("sampleCalls", samples).put("pinned", h2loadPinning != null);
    }
    if (runs(Part.ORDERS)) {
      json.put("orders", orderPlan().toJson()
        .put("stores", new JsonArray(stores().stream().map(Store::describe).toList())).put("pin", pin));
    }
    return json.put("description", describe());
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
