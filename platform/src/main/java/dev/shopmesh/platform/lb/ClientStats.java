package dev.shopmesh.platform.lb;

import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Per-replica counters of one client, keyed by the replica's {@code host:port}. They are fed by
 * the load balancer's own interaction metrics ({@link MeteredLoadBalancer}), so they show what the
 * balancer really did, and by the gRPC status of each call ({@link #status}).
 */
public final class ClientStats {

  /** Statuses that say a replica is at fault, as opposed to the caller or the business. */
  static final Set<GrpcStatus> REPLICA_FAULTS = Set.of(GrpcStatus.UNAVAILABLE, GrpcStatus.INTERNAL,
    GrpcStatus.UNKNOWN, GrpcStatus.DEADLINE_EXCEEDED, GrpcStatus.DATA_LOSS);

  private final Map<String, ReplicaCounters> byReplica = new ConcurrentHashMap<>();

  ReplicaCounters of(String hostPort) {
    return byReplica.computeIfAbsent(hostPort, k -> new ReplicaCounters());
  }

  /** Records the gRPC status a replica answered; answers whether it counts against the replica. */
  public boolean status(String hostPort, GrpcStatus status) {
    boolean fault = REPLICA_FAULTS.contains(status);
    if (fault) {
      of(hostPort).errors.increment();
    }
    return fault;
  }

  /**
   * Forgets the replicas not in {@code live}: with containers replaced again and again, every
   * address ever called stayed here, and in each heartbeat's published counters, as "unregistered".
   */
  public void retain(Set<String> live) {
    byReplica.keySet().retainAll(live);
  }

  /** {@code {"<service>": {"<host:port>": {"calls","errors","inFlight","p99Ms"}}}}. */
  public JsonObject toJson(Function<String, String> serviceOf) {
    JsonObject json = new JsonObject();
    byReplica.forEach((hostPort, counters) -> {
      String service = serviceOf.apply(hostPort);
      JsonObject replicas = json.getJsonObject(service);
      if (replicas == null) {
        replicas = new JsonObject();
        json.put(service, replicas);
      }
      replicas.put(hostPort, counters.toJson());
    });
    return json;
  }
}
