package dev.shopmesh.bench.orders;

import dev.shopmesh.bench.BenchFailure;
import dev.shopmesh.bench.load.CpuMeter;
import dev.shopmesh.bench.load.ProcessMemory;
import dev.shopmesh.bench.serve.Pinning;
import dev.shopmesh.bench.serve.Ports;
import dev.shopmesh.bench.serve.Quiet;
import dev.shopmesh.bench.serve.ServerKind;
import dev.shopmesh.bench.serve.ServerLog;
import dev.shopmesh.bench.serve.ServerProcess;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * PlaceOrder end to end, and the footprint of the mesh, for one store: starts a mesh process of its
 * own (the four services in one JVM, as the h2load scenarios' shopmesh server, with stock for every
 * order), times it to its first confirmed order, warms it up (closed loop), reads its resident
 * memory once it is idle, ramps to the highest sustainable rate, runs the fixed rate, and reads its
 * memory again. Before each run the mesh is let go idle and must confirm an order (a circuit opened
 * by the step before must have closed). The load generator is {@link OrderLoad}, in this process.
 */
public final class OrderBenchmark {

  private static final long START_TIMEOUT_MS = 120_000;
  private static final long QUIET_TIMEOUT_MS = 15_000;
  /** In a quick run only the idle memory waits for quiet, and not long. */
  private static final long QUICK_QUIET_TIMEOUT_MS = 3_000;

  private final OrderPlan plan;
  private final boolean pin;
  private final Vertx vertx;
  private final Path work;
  private final PrintStream progress;

  /** @param pin pin the server and the load generator apart ({@link Pinning}) */
  public OrderBenchmark(OrderPlan plan, boolean pin, Vertx vertx, Path work, PrintStream progress) {
    this.plan = plan;
    this.pin = pin;
    this.vertx = vertx;
    this.work = work;
    this.progress = progress;
  }

  /** Runs it all against a new mesh process on {@code store}; adds the process's log to {@code logs}. */
  public OrderResult run(Store store, List<ServerLog> logs) throws Exception {
    List<Integer> allowed = pin ? Pinning.allowedCpus() : List.of();
    Pinning pinning = pin ? Pinning.split(allowed) : null;
    ServerProcess server = ServerProcess.start(ServerKind.SHOPMESH, "shopmesh-orders-" + store.name(), work,
      pinning == null ? List.of() : pinning.serverPrefix(), List.of("--stock", String.valueOf(plan.stock())), store.dbUrl());
    boolean pinned = false;
    try {
      Ports ports;
      try {
        ports = server.awaitReady(START_TIMEOUT_MS);
      } catch (IOException e) {
        throw new BenchFailure(e.getMessage());
      }
      if (pinning != null) {
        Pinning.pinThisProcess(pinning.client());
        pinned = true;
      }
      String run = UUID.randomUUID().toString().substring(0, 8);
      try (OrderLoad load = new OrderLoad(vertx, ports.grpc())) {
        OrderLoad.Timed first = load.placeOne(new Orders("bench-" + run + "-first").order(0));
        double firstOrderMillis = server.millisSinceStart();
        ProcessMemory atFirstOrder = ProcessMemory.of(server.pid());
        if (first.outcome().kind() != Outcome.Kind.CONFIRMED) {
          throw new BenchFailure("orders " + store.name() + ": the first order was not confirmed: " + first.outcome().problem());
        }
        progress.printf(Locale.ROOT, "orders %s (%s, pid %d%s): ready in %.0f ms, first order confirmed %.0f ms after the start%n",
          store.name(), store.describe(), server.pid(), pinning == null ? "" : "; " + pinning, server.millisToReady(), firstOrderMillis);

        CpuMeter warmUpCpu = CpuMeter.startInProcessClient(server.pid());
        OrderTally warmUpTally = load.runClosed(plan.warmUpConcurrency(), plan.warmUpMillis(), orders(run, "warm-up"));
        OrderStep warmUp = report(store, OrderStep.closed("warm-up", plan.warmUpConcurrency(), plan.warmUpMillis(), warmUpTally,
          warmUpCpu.stop()));
        settle(server, plan.quick() ? QUICK_QUIET_TIMEOUT_MS : QUIET_TIMEOUT_MS);
        ProcessMemory idle = ProcessMemory.of(server.pid());

        RateSearch search = new RateSearch(plan.ramp(), plan.refinements(), plan.resolution());
        List<OrderStep> ramp = new ArrayList<>();
        for (OptionalInt rate = search.next(); rate.isPresent(); rate = search.next()) {
          ready(load, server, run);
          OrderStep step = step(load, server, store, run, "ramp", rate.getAsInt(), plan.stepMillis(), true);
          ramp.add(step);
          search.record(rate.getAsInt(), step.sustainable(plan.p99LimitMillis()));
        }
        ProcessMemory afterRamp = ProcessMemory.of(server.pid());
        ready(load, server, run);
        OrderStep fixed = step(load, server, store, run, "fixed", plan.fixedRate(), plan.fixedMillis(), false);
        ProcessMemory end = ProcessMemory.of(server.pid());
        // Read before the server stops, so the log holds what it said under load, not its shutdown.
        logs.add(server.log());
        return new OrderResult(store, plan, pinning == null ? null : pinning.toString(), server.millisToReady(),
          firstOrderMillis, first.micros(), atFirstOrder, idle, afterRamp, end, warmUp, ramp, fixed,
          search.maxSustainable().isPresent() ? search.maxSustainable().getAsInt() : null, search.ceilingReached());
      }
    } finally {
      if (pinned) {
        Pinning.pinThisProcess(allowed);
      }
      server.close();
    }
  }

  /**
   * One open-loop run. A ramp step stops once it can no longer be sustainable, so that its overload
   * stays short; the fixed run goes to its end, whatever it comes to.
   */
  private OrderStep step(OrderLoad load, ServerProcess server, Store store, String run, String phase, int rate, long millis,
                         boolean stopWhenHopeless) throws Exception {
    CpuMeter cpu = CpuMeter.startInProcessClient(server.pid());
    OrderTally tally = load.run(rate, plan.leadInMillis(), millis, orders(run, phase + "-" + rate),
      (long) (plan.p99LimitMillis() * 1000), stopWhenHopeless);
    return report(store, OrderStep.open(phase, rate, millis, OrderPlan.orders(rate, millis), tally, cpu.stop()));
  }

  private OrderStep report(Store store, OrderStep step) {
    progress.printf(Locale.ROOT, "orders %-8s %-7s %9s/s  %7s confirmed/s  p50 %7.2f ms  p99 %8.2f ms  max %8.2f ms  cores: server %.2f client %.2f  %s%s%n",
      store.name(), step.phase(), step.load(),
      Double.isNaN(step.confirmedPerSecond()) ? "-" : String.format(Locale.ROOT, "%.1f", step.confirmedPerSecond()),
      step.latencies().p50Micros() / 1000.0,
      step.latencies().p99Micros() / 1000.0, step.latencies().maxMicros() / 1000.0, step.cpu().serverCores(), step.cpu().clientCores(),
      step.ratePerSecond() > 0 ? step.verdict(plan.p99LimitMillis()) : step.errors() + " errors",
      step.problems().isEmpty() ? "" : " " + step.problems());
    return step;
  }

  /** Fresh idempotency keys for one run: none is ever reused. */
  private static Orders orders(String run, String what) {
    return new Orders("bench-" + run + "-" + what + "-" + System.nanoTime());
  }

  /**
   * Before a run: the mesh idle (in a full run), then an order confirmed, tried every 250 ms for
   * up to 30 s. After an overload an order-service circuit may be open at the gateway for 5 s.
   */
  private void ready(OrderLoad load, ServerProcess server, String run) throws Exception {
    if (!plan.quick()) {
      settle(server, QUIET_TIMEOUT_MS);
    }
    Orders probes = orders(run, "probe");
    long start = System.nanoTime();
    for (int i = 0; i < OrderPlan.PROBES_PER_RUN; i++) {
      OrderLoad.Timed probe = load.placeOne(probes.order(i));
      if (probe.outcome().kind() == Outcome.Kind.CONFIRMED) {
        if (i > 0) {
          progress.printf(Locale.ROOT, "the mesh confirmed an order again after %.1f s%n", (System.nanoTime() - start) / 1e9);
        }
        return;
      }
      if (probe.outcome().kind() == Outcome.Kind.WRONG) {
        throw new BenchFailure("a probe order was answered wrongly: " + probe.outcome().problem());
      }
      if (System.nanoTime() - start > 30_000_000_000L) {
        break;
      }
      Thread.sleep(250);
    }
    progress.println("the mesh still confirmed no order after 30 s; going on anyway");
  }

  private void settle(ServerProcess server, long timeoutMs) throws InterruptedException {
    if (Quiet.await(List.of(server), timeoutMs) < 0) {
      progress.println("the mesh was still busy after " + timeoutMs + " ms; going on anyway");
    }
  }
}
