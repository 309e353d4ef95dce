package dev.shopmesh.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How many cores the server and h2load used during a run, from Linux's /proc: the server's own
 * CPU time, and the CPU time of this process's reaped children (each h2load run is one, reaped
 * before the next; the servers are reaped only at the end). On two cores this tells whether the
 * server, the load generator or something else on the machine was the limit.
 */
public final class CpuMeter {

  /** Linux's USER_HZ: 100 on every mainstream kernel configuration. */
  private static final double TICKS_PER_SECOND = 100;

  private final long serverPid;
  private final boolean clientIsChild;
  private final long startNanos;
  private final long serverStart;
  private final long clientStart;

  private CpuMeter(long serverPid, boolean clientIsChild) {
    this.serverPid = serverPid;
    this.clientIsChild = clientIsChild;
    this.startNanos = System.nanoTime();
    this.serverStart = ticks("/proc/" + serverPid + "/stat", false);
    this.clientStart = ticks("/proc/self/stat", clientIsChild);
  }

  /** The client is h2load: this process's reaped children. */
  public static CpuMeter start(long serverPid) {
    return new CpuMeter(serverPid, true);
  }

  /** The client runs in this process (the order benchmark's load generator): this process's own CPU time. */
  public static CpuMeter startInProcessClient(long serverPid) {
    return new CpuMeter(serverPid, false);
  }

  /** Cores used since {@link #start}: CPU seconds per second of wall time; NaN where /proc is missing. */
  public CpuUse stop() {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    long server = ticks("/proc/" + serverPid + "/stat", false);
    long client = ticks("/proc/self/stat", clientIsChild);
    return new CpuUse(cores(serverStart, server, seconds), cores(clientStart, client, seconds));
  }

  /** @param serverCores CPU time of the server process (all its services) over the run's wall time */
  public record CpuUse(double serverCores, double clientCores) {
    public static final CpuUse UNKNOWN = new CpuUse(Double.NaN, Double.NaN);
  }

  private static double cores(long before, long after, double seconds) {
    return before < 0 || after < 0 ? Double.NaN : (after - before) / TICKS_PER_SECOND / seconds;
  }

  /** utime + stime, or with {@code children} cutime + cstime, of a /proc stat file; -1 if unreadable. */
  static long ticks(String statFile, boolean children) {
    try {
      return ticksOf(Files.readString(Path.of(statFile)), children);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  static long ticksOf(String stat, boolean children) {
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    int first = children ? 13 : 11; // fields 16 and 17 (cutime, cstime) or 14 and 15 (utime, stime)
    return Long.parseLong(fields[first]) + Long.parseLong(fields[first + 1]);
  }
}
