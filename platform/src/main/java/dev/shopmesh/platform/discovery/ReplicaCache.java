package dev.shopmesh.platform.discovery;

import dev.shopmesh.platform.log.Logs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.impl.MessageConsumerImpl;
import io.vertx.core.json.JsonObject;
import io.vertx.servicediscovery.Record;
import io.vertx.servicediscovery.Status;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * A live, in-memory view of the registered replicas, read synchronously on every call by the
 * load-balanced client. It refreshes when discovery announces a change and on a period, so that a
 * missed announcement costs at most one period.
 */
public final class ReplicaCache {

  private static final Logger LOG = Logs.logger("discovery");

  private final Vertx vertx;
  private final Discovery discovery;
  private final long refreshMillis;
  private volatile Map<String, List<Replica>> byService = Map.of();
  private MessageConsumer<Object> announcements;
  private long timer = -1;
  private volatile boolean failing;
  /** When the registry last became readable again after an outage. */
  private volatile long recoveredAt = Long.MIN_VALUE / 2;
  /** Whether the view keeps replicas the registry lost: logged once when it starts. */
  private volatile boolean keepingLost;
  /** Whether the view keeps replicas whose leases went stale but which answer: logged once when it starts. */
  private volatile boolean keepingStale;
  /** Whether a replica answers its callers' health checks now, as each client of this view probes them. */
  private final List<Predicate<String>> answering = new CopyOnWriteArrayList<>();
  /** Reads of the registry made, for a test to see which announcements make one. */
  private final AtomicLong reads = new AtomicLong();

  public ReplicaCache(Vertx vertx, Discovery discovery, long refreshMillis) {
    this.vertx = vertx;
    this.discovery = discovery;
    this.refreshMillis = refreshMillis;
  }

  /**
   * Lets the view keep a replica whose lease went stale (or whose record was reaped) while
   * {@code check} says its health checks pass, its host port given. A replica cut off from the
   * registry alone (Redis unreachable from its host, the replica itself reachable and well) cannot
   * renew its lease: dropped, it took the only order-service out of the mesh, and 60 % of the orders
   * failed "no replica of order-service is registered" for as long as that lasted. A replica that
   * withdrew is never kept; one that stops answering leaves at its next failed check. Run what this
   * answers when {@code check} no longer probes (its client closed).
   */
  public Runnable keepWhileAnswering(Predicate<String> check) {
    answering.add(check);
    return () -> answering.remove(check);
  }

  /**
   * Completes once the first view is loaded, the registry's silence at start retried
   * ({@link Discovery#atStart}); refreshes from then on.
   */
  public Future<Void> start() {
    announcements = vertx.eventBus().consumer(discovery.announceAddress(), msg -> {
      if (!heartbeatOfAKnownReplica(msg.body())) {
        refresh();
      }
    });
    // Announcements still queued when the cache stops (other services withdrawing as the mesh
    // stops) are of no use: dropped, where Vert.x would log a WARNING for each.
    ((MessageConsumerImpl<Object>) announcements).discardHandler(msg -> { });
    return discovery.atStart("the first read of the registry", discovery::read).map(registry -> {
      apply(registry);
      timer = vertx.setPeriodic(refreshMillis, id -> refresh());
      return null;
    });
  }

  /**
   * Reloads the view. While the registry cannot be read, the last view stays in use; that is logged
   * once when it starts and once when it ends, not on every refresh. For one lease after it can be
   * read again, a replica of the last view that the registry lacks is kept: every lease went stale
   * while no heartbeat could renew it (a registry restarted empty has none at all), and the first
   * read after each replica's next heartbeat, within that lease, puts it back. Read as is, the
   * first view after an outage had no replica of some services, and their calls failed 503 for a
   * moment. A replica the
   * registry no longer holds at all, not even withdrawn, was lost with its data, though no read
   * failed (a Redis restarted within a refresh period, which failed a third of the orders for 6 s):
   * it is kept until its lease runs out, as its heartbeat would have kept it.
   */
  public Future<Void> refresh() {
    reads.incrementAndGet();
    return discovery.read()
      .onSuccess(this::apply)
      .onFailure(err -> {
        if (!failing) {
          failing = true;
          LOG.warning("discovery unreadable, calls keep going to the " + byService.values().stream().mapToInt(List::size).sum()
            + " replicas last seen: " + (err.getMessage() != null ? err.getMessage() : err));
        }
      })
      .mapEmpty();
  }

  /**
   * Whether an announcement is a heartbeat of a replica this view holds: it changes nothing a call
   * chooses by, and the periodic refresh takes its figures. Every replica in a process announces
   * one each heartbeat: read for each, every view in the process read the whole registry as often
   * as all its replicas beat together, the square of their number each heartbeat.
   */
  private boolean heartbeatOfAKnownReplica(Object announced) {
    if (!(announced instanceof JsonObject json)) {
      return false;
    }
    Record record = new Record(json);
    return record.getStatus() == Status.UP && !Discovery.withdrawn(record)
      && replicas(record.getName()).stream().anyMatch(r -> r.id().equals(record.getRegistration()));
  }

  private void apply(Discovery.Registry registry) {
    Map<String, List<Replica>> fresh = registry.live().stream().collect(Collectors.groupingBy(Replica::service));
    long now = System.currentTimeMillis();
    if (failing) {
      failing = false;
      recoveredAt = now;
      LOG.info("discovery readable again");
    }
    if (now - recoveredAt < discovery.leaseMillis()) {
      byService = withLastSeen(fresh, r -> true);
      return;
    }
    Predicate<Replica> lost = r -> !registry.recorded().contains(r.id()) && now - r.lastSeen() <= discovery.leaseMillis();
    boolean losing = byService.values().stream().flatMap(List::stream).anyMatch(lost);
    if (losing && !keepingLost) {
      LOG.warning("registrations of live replicas are gone from the registry (restarted empty, or reaped while"
        + " their heartbeats could not reach it): they stay in use until their heartbeats register them again,"
        + " or their leases run out");
    }
    keepingLost = losing;
    Map<String, List<Replica>> view = losing ? withLastSeen(fresh, lost) : fresh;
    Predicate<Replica> stale = r -> !registry.withdrawn().contains(r.id()) && answering.stream().anyMatch(a -> a.test(r.hostPort()));
    Map<String, List<Replica>> kept = withLastSeen(view, stale);
    boolean keeping = kept.values().stream().mapToInt(List::size).sum() > view.values().stream().mapToInt(List::size).sum();
    if (keeping && !keepingStale) {
      LOG.warning("replicas whose heartbeats no longer reach the registry answer their health checks: kept in use while they do");
    } else if (!keeping && keepingStale) {
      LOG.info("every replica in use renews its lease in the registry again, or has left");
    }
    keepingStale = keeping;
    byService = kept;
  }

  /** {@code fresh}, plus the replicas of the current view it lacks that {@code kept} accepts. */
  private Map<String, List<Replica>> withLastSeen(Map<String, List<Replica>> fresh, Predicate<Replica> kept) {
    Map<String, List<Replica>> merged = new HashMap<>(fresh);
    byService.forEach((service, last) -> {
      Set<String> known = fresh.getOrDefault(service, List.of()).stream().map(Replica::hostPort).collect(Collectors.toSet());
      List<Replica> all = new ArrayList<>(fresh.getOrDefault(service, List.of()));
      last.stream().filter(r -> !known.contains(r.hostPort()) && kept.test(r)).forEach(all::add);
      if (!all.isEmpty()) {
        merged.put(service, List.copyOf(all));
      }
    });
    return merged;
  }

  public List<Replica> replicas(String service) {
    return byService.getOrDefault(service, List.of());
  }

  /** The service a {@code host:port} belongs to, as far as this view knows. */
  public String serviceOf(String hostPort) {
    return knownServiceOf(hostPort).orElse("unregistered");
  }

  /** The service of the replica at {@code host:port} in this view; empty if none is. */
  public Optional<String> knownServiceOf(String hostPort) {
    return byService.values().stream().flatMap(List::stream).filter(r -> r.hostPort().equals(hostPort)).map(Replica::service)
      .findFirst();
  }

  public Map<String, List<Replica>> all() {
    return byService;
  }

  long reads() {
    return reads.get();
  }

  public void stop() {
    if (announcements != null) {
      announcements.unregister();
    }
    vertx.cancelTimer(timer);
  }
}
