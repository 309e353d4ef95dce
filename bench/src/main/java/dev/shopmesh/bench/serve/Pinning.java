package dev.shopmesh.bench.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A server process and its load generator on different CPUs, with {@code taskset}, so neither takes
 * the other's core. The load generator gets the first quarter of the CPUs this process may use (at
 * least one), the server the rest. The h2load comparisons are pinned so by default (h2load on the
 * first part, all three servers on the same rest); the order benchmark only with {@code --pin}: on
 * two cores that leaves the mesh one core for four services, their database, GC and JIT, where
 * unpinned it takes more than one when the generator idles.
 */
public record Pinning(List<Integer> client, List<Integer> server) {

  /** The split of {@code allowed}; fails with fewer than two CPUs. */
  public static Pinning split(List<Integer> allowed) {
    if (allowed.size() < 2) {
      throw new IllegalArgumentException("--pin needs at least 2 CPUs, this process may use " + allowed);
    }
    int clients = Math.max(1, allowed.size() / 4);
    return new Pinning(List.copyOf(allowed.subList(0, clients)), List.copyOf(allowed.subList(clients, allowed.size())));
  }

  /** The CPUs this process may run on, from {@code Cpus_allowed_list} of /proc/self/status. */
  public static List<Integer> allowedCpus() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("Cpus_allowed_list:")) {
        return parseList(line.substring(line.indexOf(':') + 1));
      }
    }
    throw new IOException("no Cpus_allowed_list in /proc/self/status");
  }

  /** A kernel CPU list, {@code 0-3,8,10-11}, as the CPUs it names in order. */
  static List<Integer> parseList(String list) {
    List<Integer> cpus = new ArrayList<>();
    for (String part : list.trim().split(",")) {
      if (part.isBlank()) {
        continue;
      }
      String[] range = part.trim().split("-");
      int from = Integer.parseInt(range[0]);
      int to = range.length == 2 ? Integer.parseInt(range[1]) : from;
      if (range.length > 2 || to < from) {
        throw new IllegalArgumentException("not a CPU list: '" + list + "'");
      }
      for (int cpu = from; cpu <= to; cpu++) {
        cpus.add(cpu);
      }
    }
    return cpus;
  }

  /** The CPUs as taskset takes them: {@code 1,2,3}. */
  public static String cpuList(List<Integer> cpus) {
    return cpus.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  /** What the server's command starts with. */
  public List<String> serverPrefix() {
    return List.of("taskset", "-c", cpuList(server));
  }

  /** What the load generator's command starts with, when it is a process of its own (h2load). */
  public List<String> clientPrefix() {
    return List.of("taskset", "-c", cpuList(client));
  }

  /**
   * The split of this process's CPUs, or null when the machine does not allow one: fewer than two
   * CPUs, or no {@code taskset} (Linux's util-linux) to pin with.
   */
  public static Pinning whereAllowed() throws IOException {
    List<Integer> allowed = allowedCpus();
    boolean taskset = java.util.stream.Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
      .anyMatch(dir -> Files.isExecutable(Path.of(dir, "taskset")));
    return allowed.size() >= 2 && taskset ? split(allowed) : null;
  }

  /** Moves every thread of this process to {@code cpus}. */
  public static void pinThisProcess(List<Integer> cpus) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", cpuList(cpus), String.valueOf(ProcessHandle.current().pid()))
      .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("taskset could not pin this process to " + cpus + ": " + out.trim());
    }
  }

  @Override
  public String toString() {
    return "load generator on CPU " + cpuList(client) + ", server on CPU " + cpuList(server);
  }
}
