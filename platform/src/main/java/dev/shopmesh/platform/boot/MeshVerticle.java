package dev.shopmesh.platform.boot;

import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.db.Database;
import dev.shopmesh.platform.db.DatabaseReadiness;
import dev.shopmesh.platform.discovery.Discovery;
import dev.shopmesh.platform.discovery.Registration;
import dev.shopmesh.platform.discovery.Replica;
import dev.shopmesh.platform.discovery.ReplicaCache;
import dev.shopmesh.platform.lb.HealthProbe;
import dev.shopmesh.platform.log.Logs;
import dev.shopmesh.platform.metrics.ServedCalls;
import dev.shopmesh.platform.rpc.GrpcCallCounts;
import dev.shopmesh.platform.rpc.LbSettings;
import dev.shopmesh.platform.rpc.MeshClient;
import dev.shopmesh.platform.rpc.MeshServer;
import dev.shopmesh.platform.rpc.RpcSettings;
import dev.shopmesh.platform.rpc.ServerTls;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.Service;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A service of the mesh. Start: the subclass sets itself up (database, stores, clients) and names
 * its gRPC services; the platform serves them on {@code SHOPMESH_GRPC_PORT} (0: any free port) and
 * only then registers the replica in discovery. Stop: withdraw from discovery first, so callers
 * stop choosing this replica, then drain in-flight calls (gRPC and any other server of the service's
 * at once, {@link #drain}) and the work they started ({@link #inFlight}), then release resources.
 */
public abstract class MeshVerticle extends VerticleBase {

  private final String name;
  protected final Config config;
  protected final Logger log;
  private Discovery discovery;
  private ReplicaCache replicas;
  private MeshClient client;
  private MeshServer server;
  private final ServedCalls answered = GrpcCallCounts.create();
  /** Read by {@link #isThisReplica} from the event loops of a service serving on several. */
  private volatile Registration registration;
  private Database database;
  private InFlightWork inFlight;

  /** {@code name}: the name others find this service by, e.g. {@code catalog-service}; its logger's too. */
  protected MeshVerticle(String name, Config config) {
    this.name = name;
    this.config = config;
    this.log = Logs.logger(name);
  }

  /** The name others find this service by. */
  public final String serviceName() {
    return name;
  }

  /** Opens what the service needs and answers the gRPC services it serves. */
  protected abstract Future<List<Service>> setUp(MeshContext context);

  /**
   * How many event loops serve this service's calls: one, so that its handlers and stores run on one
   * thread and need no locks; a backend scales by replicas. A service whose handlers are safe on
   * several threads at once overrides this (the gateway, with SHOPMESH_EVENT_LOOPS): not a setting
   * every service reads, which would put the backends on threads their handlers were not written for.
   */
  protected int eventLoops() {
    return 1;
  }

  /** How long a stopping service lets calls in flight finish: SHOPMESH_SHUTDOWN_GRACE_MS. */
  protected final long shutdownGraceMillis() {
    return shutdownGraceMillis(config);
  }

  /** SHUTDOWN_GRACE_MS, as every service and the launcher's shutdown bound read it. */
  static long shutdownGraceMillis(Config config) {
    return config.getLong("SHUTDOWN_GRACE_MS", 5_000);
  }

  /** The port served when SHOPMESH_GRPC_PORT is not set; 0 picks any free port. */
  protected int defaultGrpcPort() {
    return 0;
  }

  /**
   * Whether callers from outside the mesh reach this service's gRPC port: the gateway's alone, which
   * serves TLS when given a certificate ({@link ServerTls}).
   */
  protected boolean reachedFromOutside() {
    return false;
  }

  /**
   * Whether this replica can serve: unless its database has refused it, gone silent or run out of
   * space ({@link DatabaseReadiness}). Each change is logged once, with why: an outage of the
   * database showed only in the requests that failed, and nothing said when it was over.
   */
  private Future<Boolean> ready() {
    String notReady = database == null ? null : databaseReadiness().notReadyBecause();
    if ((notReady == null) != wasReady) {
      wasReady = notReady == null;
      if (wasReady) {
        log.info(serviceName() + " is ready again: its database answers");
      } else {
        log.warning(serviceName() + " is not ready: " + notReady);
      }
    }
    return Future.succeededFuture(notReady == null);
  }

  /** What the last readiness check found; a replica starts ready, its database having answered at start. */
  private boolean wasReady = true;

  private DatabaseReadiness databaseReadiness() {
    if (readiness == null) {
      readiness = new DatabaseReadiness(database::reachable, database::lastFullMillis, database::lastAnsweredMillis,
        System::currentTimeMillis);
    }
    return readiness;
  }

  private DatabaseReadiness readiness;

  /** Work on the database that a stopping replica finishes before it closes it (see {@link InFlightWork}). */
  protected final synchronized InFlightWork inFlight() {
    if (inFlight == null) {
      inFlight = new InFlightWork(vertx);
    }
    return inFlight;
  }

  /** This service's own database, opened on first use, closed once the service has drained. */
  protected Database database() {
    if (database == null) {
      database = Database.open(vertx, config, serviceName());
    }
    return database;
  }

  /**
   * The served gRPC services that relay to another mesh service, by the backend's name: each is
   * SERVING in {@code grpc.health.v1} while that backend has a ready replica, as the gateway's
   * /health counts them. None by default.
   */
  protected Map<ServiceName, String> relayedTo() {
    return Map.of();
  }

  /**
   * Stops the service's other servers and lets what they have in flight finish, within
   * {@code graceMillis}, alongside its gRPC server's drain: one after the other, the two took twice
   * the grace, past the time a stopping process is given. Nothing by default.
   */
  protected Future<Void> drain(long graceMillis) {
    return Future.succeededFuture();
  }

  /** Releases what {@link #setUp} opened; called after in-flight calls drained. */
  protected Future<Void> tearDown() {
    return Future.succeededFuture();
  }

  @Override
  public Future<?> start() {
    RpcSettings settings = RpcSettings.from(config);
    String host = config.get("HOST", "127.0.0.1");
    Discovery.requireLeaseOutlivesHeartbeats(config);
    discovery = new Discovery(vertx, config);
    replicas = new ReplicaCache(vertx, discovery, config.getLong("DISCOVERY_REFRESH_MS", 1_000, 1));
    client = new MeshClient(vertx, settings, LbSettings.from(config), replicas);
    // Read by the gateway alone: a backend given the flags says they were not read.
    ServerTls tls = reachedFromOutside() ? ServerTls.from(config) : ServerTls.PLAINTEXT;
    return tls.checked(vertx)
      .compose(v -> replicas.start())
      .compose(v -> sameStoreAsTheOtherReplicas())
      .compose(v -> setUp(new MeshContext(client, replicas, answered, tls)))
      .compose(services -> MeshServer.start(vertx, settings, host, config.getPort("GRPC_PORT", defaultGrpcPort()),
        eventLoops(), shutdownGraceMillis(), reachedFromOutside(), tls, services, log, answered))
      .compose(started -> {
        server = started;
        server.health().register(HealthProbe.READY, this::ready);
        // Else each served service answered SERVING whatever became of the backend it relays to.
        relayedTo().forEach((served, backend) ->
          server.health().register(served, () -> Future.succeededFuture(client.ready(backend) > 0)));
        return advertisedHost(host)
          .compose(advertised -> discovery.register(serviceName(), advertised, server.port(),
            database == null ? null : Database.kindOf(config), tls.enabled(), client::stats, answered::toJson));
      })
      .onSuccess(registered -> {
        registration = registered;
        log.info(serviceName() + " serving gRPC" + (tls.enabled() ? " over TLS" : "") + " on " + host + ":" + server.port());
      });
  }

  /**
   * Refuses to start a replica whose kind of store differs from that of the live replicas of its
   * service: run in a terminal without the SHOPMESH_DB_URL of the up on PostgreSQL it joined, a
   * catalog replica seeded an embedded store of its own and took half the reservations, the catalog
   * answering two stocks in turn. Checked before {@link #setUp} opens the store. Live: renewed
   * within two heartbeats, so that a replica restarted with a corrected setting is not refused for
   * the record of its killed self, still within its lease.
   */
  private Future<Void> sameStoreAsTheOtherReplicas() {
    String mine = Database.kindOf(config);
    long live = 2 * config.getLong("HEARTBEAT_MS", 1_000, 1);
    long now = System.currentTimeMillis();
    return replicas.replicas(serviceName()).stream()
      .filter(other -> other.store() != null && !other.store().equals(mine) && now - other.lastSeen() <= live).findFirst()
      .<Future<Void>>map(other -> Future.failedFuture(new IllegalArgumentException(serviceName() + "'s replica at "
        + other.hostPort() + " keeps its data in " + Database.describeKind(other.store()) + "; this one would keep it in "
        + Database.describeKind(mine) + ": give every replica of a service the same SHOPMESH_DB_URL")))
      .orElse(Future.succeededFuture());
  }

  /**
   * Withdraws this replica from discovery, so that callers stop choosing it; once, however often
   * asked. {@link Launcher} asks before it undeploys the service: Vert.x undeploys a verticle's
   * children before calling its stop, and a service on several event loops serves from child
   * verticles, so they drained their calls while the replica was still registered and chosen.
   */
  public synchronized Future<Void> withdraw() {
    if (withdrawn == null) {
      withdrawn = registration == null ? Future.succeededFuture() : registration.withdraw().recover(err -> Future.succeededFuture());
    }
    return withdrawn;
  }

  private Future<Void> withdrawn;

  @Override
  public Future<?> stop() {
    long graceEnds = System.currentTimeMillis() + shutdownGraceMillis();
    return withdraw()
      // join: both drains end before what they use is closed, even when one fails.
      .compose(v -> stopStep("drain its calls", () -> Future.join(server == null ? Future.succeededFuture()
        : server.shutdown(shutdownGraceMillis()), drain(shutdownGraceMillis()))))
      .compose(v -> stopStep("finish its work in flight", () -> inFlight().finished(graceEnds - System.currentTimeMillis())))
      .compose(v -> stopStep("release what it set up", this::tearDown))
      .compose(v -> stopStep("close its database", () -> database == null ? Future.succeededFuture() : database.close()))
      .compose(v -> stopStep("close its clients", client::close))
      .onComplete(ar -> {
        replicas.stop();
        discovery.close();
        log.info(serviceName() + " stopped");
      });
  }

  /**
   * One step of {@link #stop}, its failure logged and passed over, so that the steps after it still
   * run: a replica stopped within a process that goes on (a test's, {@code up}'s) must release its
   * database and clients whatever became of its drain or its tear-down.
   */
  private Future<Void> stopStep(String what, Supplier<Future<?>> step) {
    Future<?> done;
    try {
      done = step.get();
    } catch (RuntimeException e) {
      done = Future.failedFuture(e);
    }
    return done.<Void>mapEmpty().recover(err -> {
      log.log(Level.WARNING, serviceName() + " stopping: could not " + what + ", going on: " + err.getMessage(), err);
      return Future.succeededFuture();
    });
  }

  /**
   * The host others reach this replica at: {@code SHOPMESH_ADVERTISED_HOST}, else the bind host,
   * else (binding every interface, 0.0.0.0 or ::) this machine's address ({@link HostAddress}).
   */
  private Future<String> advertisedHost(String bindHost) {
    String advertised = config.get("ADVERTISED_HOST", bindHost);
    if (!HostAddress.isWildcard(advertised)) {
      return Future.succeededFuture(advertised);
    }
    // Off the event loop: a container's DNS may take seconds to answer.
    return vertx.executeBlocking(() -> {
      try {
        return HostAddress.reachable();
      } catch (java.io.IOException e) {
        throw Config.invalid("ADVERTISED_HOST", "is needed: binding every interface (" + advertised + "), this replica would"
          + " advertise its host's address, which is unknown (" + e.getMessage() + ")");
      }
    });
  }

  /** Whether {@code replica} is this one's registration (false before it has registered). */
  protected final boolean isThisReplica(Replica replica) {
    Registration registered = registration;
    return registered != null && registered.id().equals(replica.id());
  }

  /** The gRPC port this replica serves on, once started. */
  public int grpcPort() {
    return server.port();
  }
}
