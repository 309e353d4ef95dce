package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.discovery.Replica;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link Keepalive} of each connection a client has open, by the host port of its replica, so
 * that a health check of the replica that goes unanswered can PING all of them at once.
 */
final class Keepalives {

  private final Vertx vertx;
  private final long intervalMillis;
  private final Map<String, Set<Keepalive>> byReplica = new ConcurrentHashMap<>();

  /** @param intervalMillis {@code SHOPMESH_KEEPALIVE_MS}; 0 watches no connection */
  Keepalives(Vertx vertx, long intervalMillis) {
    this.vertx = vertx;
    this.intervalMillis = intervalMillis;
  }

  /** Watches a connection just opened: from its connect handler, so that its timer runs on its event loop. */
  void watch(HttpConnection connection) {
    if (intervalMillis == 0) {
      return;
    }
    String hostPort = Replica.hostPort(connection.remoteAddress().host(), connection.remoteAddress().port());
    Keepalive[] watched = new Keepalive[1];
    watched[0] = Keepalive.watch(vertx, connection, intervalMillis,
      () -> byReplica.computeIfPresent(hostPort, (k, of) -> of.remove(watched[0]) && of.isEmpty() ? null : of));
    // In one step with prune's removal of empty sets, which runs on another thread.
    byReplica.compute(hostPort, (k, of) -> {
      Set<Keepalive> set = of == null ? ConcurrentHashMap.newKeySet() : of;
      set.add(watched[0]);
      return set;
    });
  }

  /**
   * A health check of {@code hostPort} went unanswered (500 ms): each connection to it is PINGed
   * and closed if no answer comes within {@link #suspectWaitMillis}.
   */
  void suspect(String hostPort) {
    byReplica.getOrDefault(hostPort, Set.of()).forEach(k -> k.suspect(suspectWaitMillis(intervalMillis)));
  }

  /** Forgets the replicas no connection is open to any more. */
  void prune() {
    byReplica.keySet().forEach(hostPort -> byReplica.computeIfPresent(hostPort, (k, of) -> of.isEmpty() ? null : of));
  }

  /**
   * How long a suspected connection waits for the answer to its PING before it is closed: three
   * fifths of the keepalive interval, 1.5 s by default, so 2 s of silence in all with the check's
   * 500 ms, against the 5 s deadline of the calls in flight. A replica stalled that long loses its
   * calls on it too, the ones that may be retried going to another replica; a longer
   * SHOPMESH_KEEPALIVE_MS, set to ride out longer stalls, lengthens this too.
   */
  static long suspectWaitMillis(long intervalMillis) {
    return Math.max(1, intervalMillis * 3 / 5);
  }
}
