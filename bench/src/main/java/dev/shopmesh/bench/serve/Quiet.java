package dev.shopmesh.bench.serve;

import dev.shopmesh.bench.load.CpuMeter;

import java.util.List;

/**
 * Waits for the servers to go idle between runs. A server keeps working after h2load stops: it
 * finishes or cancels the calls h2load abandoned, and may log a stack trace for each. Without
 * this wait that work would run during the next run, against the next server's figures.
 */
public final class Quiet {

  /** Idle: all servers together use less than this. Their timers (heartbeats, probes) stay well below. */
  static final double IDLE_CORES = 0.10;
  static final long WINDOW_MS = 250;

  private Quiet() {
  }

  /** Milliseconds waited until the servers were idle, or -1 if they were still busy after {@code timeoutMs}. */
  public static long await(List<ServerProcess> servers, long timeoutMs) throws InterruptedException {
    long start = System.currentTimeMillis();
    while (System.currentTimeMillis() - start < timeoutMs) {
      List<CpuMeter> meters = servers.stream().map(s -> CpuMeter.start(s.pid())).toList();
      Thread.sleep(WINDOW_MS);
      double cores = meters.stream().mapToDouble(m -> m.stop().serverCores()).filter(c -> !Double.isNaN(c)).sum();
      if (cores < IDLE_CORES) {
        return System.currentTimeMillis() - start;
      }
    }
    return -1;
  }
}
