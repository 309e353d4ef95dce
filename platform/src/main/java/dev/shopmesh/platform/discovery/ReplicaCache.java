package dev.shopmesh.platform.discovery;

import dev.shopmesh.platform.log.Logs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.impl.MessageConsumerImpl;

import java.util.List;
import java.util.Map;
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

  public ReplicaCache(Vertx vertx, Discovery discovery, long refreshMillis) {
    this.vertx = vertx;
    this.discovery = discovery;
    this.refreshMillis = refreshMillis;
  }

  /** Completes once the first view is loaded. */
  public Future<Void> start() {
    announcements = vertx.eventBus().consumer(discovery.announceAddress(), msg -> refresh());
    // Announcements still queued when the cache stops (other services withdrawing as the mesh
    // stops) are of no use: dropped, where Vert.x would log a WARNING for each.
    ((MessageConsumerImpl<Object>) announcements).discardHandler(msg -> { });
    timer = vertx.setPeriodic(refreshMillis, id -> refresh());
    return refresh();
  }

  /**
   * Reloads the view. While the registry cannot be read, the last view stays in use; that is logged
   * once when it starts and once when it ends, not on every refresh.
   */
  public Future<Void> refresh() {
    return discovery.replicas()
      .onSuccess(all -> {
        byService = all.stream().collect(Collectors.groupingBy(Replica::service));
        if (failing) {
          failing = false;
          LOG.info("discovery readable again");
        }
      })
      .onFailure(err -> {
        if (!failing) {
          failing = true;
          LOG.warning("discovery unreadable, calls keep going to the " + byService.values().stream().mapToInt(List::size).sum()
            + " replicas last seen: " + err);
        }
      })
      .mapEmpty();
  }

  public List<Replica> replicas(String service) {
    return byService.getOrDefault(service, List.of());
  }

  /** The service a {@code host:port} belongs to, as far as this view knows. */
  public String serviceOf(String hostPort) {
    for (List<Replica> list : byService.values()) {
      for (Replica r : list) {
        if (r.hostPort().equals(hostPort)) {
          return r.service();
        }
      }
    }
    return "unregistered";
  }

  public Map<String, List<Replica>> all() {
    return byService;
  }

  public void stop() {
    if (announcements != null) {
      announcements.unregister();
    }
    vertx.cancelTimer(timer);
  }
}
