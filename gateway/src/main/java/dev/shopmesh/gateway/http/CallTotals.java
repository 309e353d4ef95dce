package dev.shopmesh.gateway.http;

import dev.shopmesh.platform.discovery.Replica;
import io.vertx.core.json.JsonObject;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Calls and errors per replica, summed over what its callers reported, that only grow while the
 * gateway runs. Each caller reports the totals of its own clients, from zero when it starts, and a
 * restarted caller registers anew under another id: summed as reported, a replica's totals went down
 * at every restart of one of its callers, and {@code status --watch} and the mesh page, which count
 * the calls between two answers, showed it taking no calls while orders flowed through it. So:
 * <ul>
 *   <li>a caller gone leaves what it reported last in the totals, and takes it back if it returns
 *       under the same id (out of the view for a moment);</li>
 *   <li>a caller whose counters started again under the same id (its client forgot a replica that
 *       left its own view) leaves what they had counted;</li>
 *   <li>a report older than the one already counted (read out of order) is not counted;</li>
 *   <li>a caller still registered but silent about a replica for now still counts what it reported;</li>
 *   <li>what is kept for a replica is let go once it has been out of the view for {@link #FORGET_AFTER_MILLIS}.</li>
 * </ul>
 * Reports are read every second ({@link MeshView}) and for each answer: what a caller counted in its
 * last second before it left is not kept.
 */
final class CallTotals {

  /** How long a replica may be missing from the view before what is kept for it is let go. */
  static final long FORGET_AFTER_MILLIS = 60_000;

  /** One caller's report on one replica: its totals, as of its heartbeat at {@code lastSeen}. */
  private record Report(long calls, long errors, long lastSeen) {
  }

  /** By replica host:port, then caller id: the report counted now. */
  private final Map<String, Map<String, Report>> counted = new HashMap<>();
  /** By replica host:port, then caller id: the last report of callers gone. */
  private final Map<String, Map<String, Report>> departed = new HashMap<>();
  /** By replica host:port: what callers' counters had counted before they started again, {calls, errors}. */
  private final Map<String, long[]> restarted = new HashMap<>();
  /** By replica host:port: since when it has been out of the view. */
  private final Map<String, Long> missingSince = new HashMap<>();

  /** The registered replicas' totals, {calls, errors} by host:port, as of {@code now}. */
  synchronized Map<String, long[]> totals(Collection<Replica> registered, long now) {
    Set<String> callers = new HashSet<>();
    Set<String> hostPorts = new HashSet<>();
    registered.forEach(caller -> {
      callers.add(caller.id());
      hostPorts.add(caller.hostPort());
      caller.clients().forEach(service -> ((JsonObject) service.getValue()).forEach(replica -> {
        JsonObject c = (JsonObject) replica.getValue();
        take(replica.getKey(), caller.id(), new Report(c.getLong("calls", 0L), c.getLong("errors", 0L), caller.lastSeen()));
      }));
    });
    counted.forEach((hostPort, byCaller) -> byCaller.entrySet().removeIf(report -> {
      if (callers.contains(report.getKey())) {
        return false;
      }
      departed.computeIfAbsent(hostPort, k -> new HashMap<>()).put(report.getKey(), report.getValue());
      return true;
    }));
    forgetMissing(hostPorts, now);

    Map<String, long[]> totals = new HashMap<>();
    counted.forEach((hostPort, byCaller) -> byCaller.values().forEach(r -> add(totals, hostPort, r.calls(), r.errors())));
    departed.forEach((hostPort, byCaller) -> byCaller.values().forEach(r -> add(totals, hostPort, r.calls(), r.errors())));
    restarted.forEach((hostPort, counts) -> add(totals, hostPort, counts[0], counts[1]));
    return totals;
  }

  /** Counts {@code report}, what {@code caller} now says of {@code hostPort}. */
  private void take(String hostPort, String caller, Report report) {
    Map<String, Report> byCaller = counted.computeIfAbsent(hostPort, k -> new HashMap<>());
    Report last = byCaller.get(caller);
    if (last == null && departed.containsKey(hostPort)) {
      // Back in the view under the same id: its counters went on meanwhile.
      last = departed.get(hostPort).remove(caller);
    }
    if (last != null && report.lastSeen() <= last.lastSeen()) {
      byCaller.put(caller, last);
      return;
    }
    if (last != null && (report.calls() < last.calls() || report.errors() < last.errors())) {
      add(restarted, hostPort, last.calls(), last.errors());
    }
    byCaller.put(caller, report);
  }

  private void forgetMissing(Set<String> hostPorts, long now) {
    Set<String> known = new HashSet<>(counted.keySet());
    known.addAll(departed.keySet());
    known.addAll(restarted.keySet());
    for (String hostPort : known) {
      if (hostPorts.contains(hostPort)) {
        missingSince.remove(hostPort);
      } else if (now - missingSince.computeIfAbsent(hostPort, k -> now) >= FORGET_AFTER_MILLIS) {
        counted.remove(hostPort);
        departed.remove(hostPort);
        restarted.remove(hostPort);
        missingSince.remove(hostPort);
      }
    }
  }

  private static void add(Map<String, long[]> totals, String hostPort, long calls, long errors) {
    long[] sum = totals.computeIfAbsent(hostPort, k -> new long[2]);
    sum[0] += calls;
    sum[1] += errors;
  }
}
