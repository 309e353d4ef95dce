package dev.shopmesh.platform.discovery;

import dev.shopmesh.platform.boot.StartRetries;
import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.error.Failure;
import dev.shopmesh.platform.log.Logs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.servicediscovery.Record;
import io.vertx.servicediscovery.ServiceDiscovery;
import io.vertx.servicediscovery.ServiceDiscoveryOptions;
import io.vertx.servicediscovery.impl.DefaultServiceDiscoveryBackend;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Registration and lookup of gRPC replicas by service name, on vertx-service-discovery.
 * <ul>
 *   <li>{@code SHOPMESH_DISCOVERY=local} (the default of code that starts the services in its own
 *   process, as tests do): a registry shared by everything in one Vert.x instance.</li>
 *   <li>{@code SHOPMESH_DISCOVERY=dir}: files in the data directory's {@code registry/}, shared by the
 *   processes on this machine that use that directory ({@link RegistryDirectory}; the default of a
 *   service's jar, {@code ./shopmesh run} and {@code ./shopmesh up}).</li>
 *   <li>{@code SHOPMESH_DISCOVERY=redis://host:6379}: a registry in Redis, shared by processes
 *   and containers.</li>
 * </ul>
 * A replica that dies without withdrawing must not stay routable: each registration is a lease,
 * renewed by a heartbeat every {@code SHOPMESH_HEARTBEAT_MS}; a record not renewed for
 * {@code SHOPMESH_LEASE_MS} is ignored, and one stale for three leases is reaped by whoever sees it.
 * A replica that withdraws leaves its record marked withdrawn, reaped the same way: a registration
 * missing altogether was lost with the registry's data (a Redis restarted empty), not withdrawn.
 */
public final class Discovery {

  /** Record type for our replicas. */
  public static final String TYPE = "grpc";
  /** {@code SHOPMESH_DISCOVERY} for the registry in the data directory. */
  public static final String IN_DATA_DIR = "dir";
  /** The record's metadata field holding when its replica last renewed its lease (epoch millis). */
  static final String LAST_SEEN = "lastSeen";
  /** Where a replica keeps its data, as {@link Replica#store} reads it. */
  static final String STORE = "store";
  /** Whether the replica's port serves TLS only ({@link Replica#tls}). */
  static final String TLS = "tls";
  /** The record's metadata field set when its replica withdrew. */
  private static final String WITHDRAWN = "withdrawn";
  static final String REDIS_BACKEND = "io.vertx.servicediscovery.backend.redis.RedisBackendService";
  private static final Logger LOG = Logs.logger("discovery");

  private final Vertx vertx;
  private final ServiceDiscovery discovery;
  private final String announceAddress;
  private final long heartbeatMillis;
  private final long leaseMillis;
  /** A start's retries while the registry does not answer yet, which name the setting that chose it (a password left out). */
  private final StartRetries startRetries;

  public Discovery(Vertx vertx, Config config) {
    this.vertx = vertx;
    String registry = config.get("DISCOVERY", "local");
    this.heartbeatMillis = heartbeatMillis(config);
    this.leaseMillis = leaseMillis(config);
    this.startRetries = new StartRetries(vertx, LOG, leaseMillis, 1, Discovery::notAnswering, Throwable::getMessage,
      "; SHOPMESH_DISCOVERY=" + Config.withoutPassword(registry));
    ServiceDiscoveryOptions options = new ServiceDiscoveryOptions().setBackendConfiguration(
      backend(registry, config.dataDir()));
    this.announceAddress = options.getAnnounceAddress();
    this.discovery = ServiceDiscovery.create(vertx, options);
  }

  /**
   * Refuses a heartbeat too slow for the lease: a registration not renewed within its lease is
   * ignored, so a replica heartbeating every 5 s on a 3 s lease left its callers' views and came
   * back in turn, its calls failing "no replica is registered" in between. Half the lease at most,
   * so that one late heartbeat does not lapse it. Checked by a replica before it opens its
   * discovery (tests build discoveries that never renew, on purpose).
   *
   * @throws IllegalArgumentException naming both settings
   */
  public static void requireLeaseOutlivesHeartbeats(Config config) {
    long heartbeat = heartbeatMillis(config);
    long lease = leaseMillis(config);
    if (2 * heartbeat > lease) {
      throw Config.invalid("HEARTBEAT_MS", "must be at most half of SHOPMESH_LEASE_MS (" + lease + "), or registrations"
        + " lapse between heartbeats; got " + heartbeat);
    }
  }

  private static long heartbeatMillis(Config config) {
    return config.getLong("HEARTBEAT_MS", 1_000, 1);
  }

  private static long leaseMillis(Config config) {
    return config.getLong("LEASE_MS", 3_000, 1);
  }

  static JsonObject backend(String discovery, Path dataDir) {
    if (discovery.equals("local")) {
      return new JsonObject().put("backend-name", DefaultServiceDiscoveryBackend.class.getName());
    }
    if (discovery.equals(IN_DATA_DIR)) {
      return new JsonObject().put("backend-name", RegistryDirectory.class.getName())
        .put(RegistryDirectory.DIRECTORY, registryIn(dataDir).toString());
    }
    if (discovery.startsWith("redis://")) {
      return new JsonObject().put("backend-name", REDIS_BACKEND).put("key", "shopmesh:replicas")
        .put("endpoints", new JsonArray().add(discovery));
    }
    throw new IllegalArgumentException("SHOPMESH_DISCOVERY must be 'local', 'dir' or a redis://host:port URL, got '" + discovery + "'");
  }

  /** Where {@code SHOPMESH_DISCOVERY=dir} keeps the registry of the data directory {@code dataDir}: one JSON file a registration. */
  public static Path registryIn(Path dataDir) {
    return dataDir.resolve("registry");
  }

  /**
   * Publishes a replica once it listens and keeps its lease alive until {@link Registration#withdraw()}.
   * {@code stats} and {@code served} are published with every heartbeat: what this replica's
   * clients saw of the others, and the calls its server answered.
   */
  public Future<Registration> register(String service, String host, int port, Supplier<JsonObject> stats, Supplier<JsonObject> served) {
    return register(service, host, port, null, false, stats, served);
  }

  /**
   * As {@link #register(String, String, int, Supplier, Supplier)}, saying where the replica keeps its
   * data ({@link Replica#store}), and whether its port serves TLS ({@link Replica#tls}).
   */
  public Future<Registration> register(String service, String host, int port, String store, boolean tls, Supplier<JsonObject> stats,
                                       Supplier<JsonObject> served) {
    Record record = new Record()
      .setName(service)
      .setType(TYPE)
      .setLocation(new JsonObject().put("host", host).put("port", port))
      .setMetadata(new JsonObject().put("protocol", "grpc").put("version", "v1")
        .put("zone", "local").put("startedAt", System.currentTimeMillis())
        .put("clients", stats.get()).put("served", served.get()).put(STORE, store).put(TLS, tls));
    // A publish that timed out may still be stored, under the registration id it gave the record:
    // tried again, it stores that record again rather than a second one.
    int[] attempts = {0};
    return atStart("registering " + service, () -> {
      attempts[0]++;
      record.getMetadata().put(LAST_SEEN, System.currentTimeMillis());
      return answered(record.getRegistration() == null ? discovery.publish(record) : discovery.update(record));
    })
      // The late first publish may be applied after the retry, its lease as old as the start's
      // retries: renewed at once rather than at the first heartbeat, which readers might not wait for.
      .compose(published -> (attempts[0] == 1 ? Future.<Void>succeededFuture()
        : renew(published, stats.get(), served.get()).otherwiseEmpty()).map(published))
      .map(published -> new Registration(this, published, stats, served));
  }

  /**
   * {@code request}, tried again while the registry does not answer or refuses connections, until
   * ten leases (at most 30 s) after the start's first request to it: one window for its first read
   * and its registration. A replica started beside another on a busy host saw its first read time
   * out and exited; its container restarted and joined, but a {@code docker-compose up --scale} that
   * checked health meanwhile failed.
   */
  <T> Future<T> atStart(String what, Supplier<Future<T>> request) {
    return startRetries.run(what, request).recover(err -> Future.failedFuture(err instanceof StartRetries.GaveUp
      ? new Failure(Failure.Kind.UNAVAILABLE, what + ": " + err.getMessage(), err.getCause()) : err));
  }

  /**
   * A registry that does not answer yet: silent, refusing connections, or a host name not resolving
   * yet (a container's name, before the container is up; a misspelt one is given up on with the
   * rest, the setting named, where Netty's words came with a stack and named none).
   */
  private static boolean notAnswering(Throwable err) {
    for (Throwable cause = err; cause != null; cause = cause.getCause()) {
      if (cause instanceof NotAnswering || cause instanceof ConnectException || cause instanceof UnknownHostException) {
        return true;
      }
    }
    return false;
  }

  /** The registry did not answer a request in time, or still has earlier ones to answer. */
  static final class NotAnswering extends IllegalStateException {
    NotAnswering(String message) {
      super(message);
    }
  }

  Future<Void> renew(Record record, JsonObject stats, JsonObject served) {
    record.getMetadata().put(LAST_SEEN, System.currentTimeMillis()).put("clients", stats).put("served", served);
    return answered(discovery.update(record)).mapEmpty();
  }

  /**
   * {@code request} to the registry, failed when it is not answered within a lease. The Redis
   * client waits for an answer as long as TCP does, and queues what follows: a registry cut off
   * from this host was noticed only once 24 requests were queued, about 13 s later, and logged as
   * "Connection pool reached max wait queue size of 24".
   */
  private <T> Future<T> answered(Future<T> request) {
    return request.timeout(leaseMillis, TimeUnit.MILLISECONDS).recover(err -> Future.failedFuture(
      err instanceof TimeoutException ? new NotAnswering("the registry did not answer within " + leaseMillis + " ms")
        : err instanceof ConnectionPoolTooBusyException ? new NotAnswering("the registry is not answering:"
          + " earlier requests still wait for its answers (" + err.getMessage() + ")") : err));
  }

  /** Whether {@code record}'s replica withdrew ({@link #withdraw}). */
  static boolean withdrawn(Record record) {
    return record.getMetadata().getBoolean(WITHDRAWN, false);
  }

  /** Marks the record withdrawn, where removing it would look like the registry losing it. */
  Future<Void> withdraw(Record record) {
    record.getMetadata().put(WITHDRAWN, true);
    // Bounded like every request to the registry: a replica cut off from it still drains and stops.
    return answered(discovery.update(record)).mapEmpty();
  }

  long heartbeatMillis() {
    return heartbeatMillis;
  }

  Vertx vertx() {
    return vertx;
  }

  /** How long a registration counts without renewal. */
  long leaseMillis() {
    return leaseMillis;
  }

  /** Every live replica of every service; stale leases and withdrawn replicas are left out and the long-dead reaped. */
  public Future<List<Replica>> replicas() {
    return read().map(Registry::live);
  }

  /**
   * What the registry holds: the live replicas, the id of every record, withdrawn and stale ones
   * included, and the ids of the withdrawn.
   */
  record Registry(List<Replica> live, Set<String> recorded, Set<String> withdrawn) {
  }

  Future<Registry> read() {
    long now = System.currentTimeMillis();
    return answered(discovery.getRecords(r -> TYPE.equals(r.getType())))
      .map(records -> {
        records.stream().filter(r -> now - lastSeen(r) > 3 * leaseMillis)
          .forEach(r -> discovery.unpublish(r.getRegistration()));
        return new Registry(records.stream()
          .filter(r -> now - lastSeen(r) <= leaseMillis && !withdrawn(r))
          .map(Replica::of).toList(),
          records.stream().map(Record::getRegistration).collect(Collectors.toSet()),
          records.stream().filter(Discovery::withdrawn).map(Record::getRegistration)
            .collect(Collectors.toSet()));
      });
  }

  private static long lastSeen(Record record) {
    return record.getMetadata().getLong(LAST_SEEN, 0L);
  }

  /** The event-bus address on which a (un)registration in this process is announced. */
  public String announceAddress() {
    return announceAddress;
  }

  public void close() {
    discovery.close();
  }
}
