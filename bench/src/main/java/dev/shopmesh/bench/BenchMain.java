package dev.shopmesh.bench;

import dev.shopmesh.bench.check.ResponseCheck;
import dev.shopmesh.bench.load.H2load;
import dev.shopmesh.bench.orders.OrderBenchmark;
import dev.shopmesh.bench.orders.OrderResult;
import dev.shopmesh.bench.orders.Store;
import dev.shopmesh.bench.report.JsonReport;
import dev.shopmesh.bench.report.Machine;
import dev.shopmesh.bench.report.Measurement;
import dev.shopmesh.bench.report.ResultTable;
import dev.shopmesh.bench.report.Summary;
import dev.shopmesh.bench.serve.Pinning;
import dev.shopmesh.bench.serve.ServerKind;
import dev.shopmesh.bench.serve.ServerLog;
import dev.shopmesh.bench.serve.ServerProcess;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code java -jar bench/target/bench.jar [--quick] [--only h2load|orders] [--out FILE] …}: starts the
 * three servers side by side, each in its own JVM, loads them in turn with h2load on 127.0.0.1 and
 * stops them; then starts a mesh process of its own for the order benchmark (one a store), places
 * orders from this process; prints the tables and writes the JSON. Exits 1 when any request failed
 * or answered wrongly (figures are never judged), 2 on a bad command line or a missing h2load.
 */
public final class BenchMain {

  private static final long START_TIMEOUT_MS = 120_000;

  private BenchMain() {
  }

  public static void main(String[] args) throws Exception {
    BenchOptions options;
    String h2loadVersion;
    try {
      options = BenchOptions.parse(args, resultsDir());
      h2loadVersion = options.runs(BenchOptions.Part.H2LOAD) ? H2load.version() : "h2load not used";
    } catch (IllegalArgumentException | IOException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Machine machine = Machine.describe(h2loadVersion);
    System.err.println("shopmesh bench: " + options.describe());
    Path work = Files.createTempDirectory("shopmesh-bench-");
    List<Measurement> measurements = new ArrayList<>();
    List<OrderResult> orders = new ArrayList<>();
    List<ServerLog> logs = new ArrayList<>();
    try {
      measure(options, work, measurements, orders, logs);
    } catch (Exception e) {
      System.err.println("FAILED: " + (e instanceof BenchFailure ? e.getMessage() : e));
      System.err.println("the servers' logs: " + work);
      System.exit(1);
      return;
    }
    Summary summary = Summary.of(measurements);
    System.out.print(ResultTable.render(summary, orders, machine, options.describe(), logs));
    Path out = options.out().toAbsolutePath();
    Files.createDirectories(out.getParent());
    Files.writeString(out, JsonReport.render(summary, orders, machine, options.toJson(), logs).encodePrettily() + "\n");
    System.out.println("written: " + out);
    if (ResultTable.errors(summary, orders) > 0) {
      summary.measurements().stream().filter(m -> m.errors() > 0).forEach(m ->
        System.out.println("FAILED: round " + m.round() + " " + m.scenario().label() + " " + m.target().label() + ": " + m.problems()));
      orders.forEach(o -> o.failures().forEach(f -> System.out.println("FAILED: " + f)));
      // Kept for the post-mortem: each server's stderr.
      System.out.println("the servers' logs: " + work);
      System.exit(1);
    }
    // The report has each log's error count and first error; a successful run keeps no files behind.
    deleteTree(work);
    System.exit(0);
  }

  /**
   * Fills {@code measurements} and {@code orders}, and {@code logs} with what each server logged
   * while it was measured. The h2load servers are stopped before the order benchmark starts its own.
   */
  private static void measure(BenchOptions options, Path work, List<Measurement> measurements, List<OrderResult> orders,
                              List<ServerLog> logs) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      if (options.runs(BenchOptions.Part.H2LOAD)) {
        compare(options, work, vertx, measurements, logs);
      }
      if (options.runs(BenchOptions.Part.ORDERS)) {
        OrderBenchmark benchmark = new OrderBenchmark(options.orderPlan(), options.pin(), vertx, work, System.err);
        for (Store store : options.stores()) {
          orders.add(benchmark.run(store, logs));
        }
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** The h2load comparisons: the three servers side by side for their whole duration. */
  private static void compare(BenchOptions options, Path work, Vertx vertx, List<Measurement> measurements, List<ServerLog> logs)
    throws Exception {
    List<ServerProcess> servers = new ArrayList<>();
    try {
      Pinning pinning = options.h2loadPinning();
      for (ServerKind kind : ServerKind.values()) {
        servers.add(ServerProcess.start(kind, kind.label(), work, pinning == null ? List.of() : pinning.serverPrefix(), List.of(), null));
      }
      Map<ServerKind, ServerProcess> byKind = new EnumMap<>(ServerKind.class);
      for (ServerProcess server : servers) {
        try {
          server.awaitReady(START_TIMEOUT_MS);
        } catch (IOException e) {
          throw new BenchFailure(e.getMessage());
        }
        byKind.put(server.kind(), server);
        System.err.println(server.kind().label() + " is up (pid " + server.pid() + "): " + server.ports());
      }
      measurements.addAll(new Benchmark(options, byKind, new H2load(work, pinning == null ? List.of() : pinning.clientPrefix()), new ResponseCheck(vertx), System.err).run());
      // Read before the servers stop, so the logs hold what they said under load, not their shutdown.
      servers.forEach(server -> logs.add(server.log()));
    } finally {
      for (ServerProcess server : servers) {
        server.close();
      }
    }
  }

  /**
   * {@code bench/results}: beside the {@code target} directory this code runs from (the jar, or
   * the classes in a test), whatever the current directory; the current directory otherwise.
   */
  static Path resultsDir() {
    try {
      Path code = Path.of(BenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      for (Path p = code; p != null; p = p.getParent()) {
        if (p.getFileName() != null && p.getFileName().toString().equals("target") && p.getParent() != null) {
          return p.getParent().resolve("results");
        }
      }
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      // Fall through to the current directory.
    }
    return Path.of("results");
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
