package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.discovery.Replica;
import dev.shopmesh.platform.discovery.ReplicaCache;
import dev.shopmesh.platform.error.Failure;
import dev.shopmesh.platform.lb.ClientStats;
import dev.shopmesh.platform.lb.HealthProbe;
import dev.shopmesh.platform.lb.MeteredLoadBalancer;
import dev.shopmesh.platform.lb.Outliers;
import dev.shopmesh.platform.lb.RetryBudget;
import dev.shopmesh.platform.trace.Trace;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.AddressResolver;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.streams.ReadStream;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcLocal;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.server.StatusException;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * The load-balanced gRPC client every caller uses. Services are addressed by name
 * ({@link #address(String)}); each call is resolved against the live {@link ReplicaCache}, minus
 * the replicas {@link Outliers} has ejected, and spread by Vert.x's load balancer.
 * <ul>
 *   <li>Deadlines ({@link Deadlines}): every call gets {@link RpcSettings#deadlineMillis()}, or what
 *   is left of the deadline of the request being served if that is sooner (propagation is on in
 *   {@link MeshServer}). Retries stay inside the same deadline.</li>
 *   <li>Retries, only where safe: a call that never reached a replica (no connection) is retried
 *   on another; a call that may have been processed is retried only when the caller says it is
 *   idempotent ({@link #idempotent}). Only a transport failure (no connection, or one that broke
 *   under the call: UNAVAILABLE) is retried, with jittered back-off, within a retry budget; a
 *   status a replica answered, UNAVAILABLE included, is passed back as it is, because that
 *   replica's own calls were retried already and retrying at every hop would multiply them.</li>
 *   <li>A circuit per service ({@link Circuits}), and a keepalive on every connection
 *   ({@link Keepalives}), PINGed at once when a health check of its replica goes unanswered.</li>
 * </ul>
 */
public final class MeshClient {

  /** Logical addresses carry the service name as host; the port is never dialled. */
  private static final int LOGICAL_PORT = 0;

  private final Vertx vertx;
  private final RpcSettings settings;
  private final LbSettings lb;
  private final ReplicaCache replicas;
  /** Ends the view's keeping of replicas this client's checks find ready (see {@link ReplicaCache#keepWhileAnswering}). */
  private final Runnable keepingAnswering;
  private final ClientStats stats = new ClientStats();
  private final Keepalives keepalives;
  private final Circuits circuits;
  private final Outliers outliers;
  private final RetryBudget budget;
  private final Set<String> callees = ConcurrentHashMap.newKeySet();
  private final HealthProbe probe;
  private final MeshGrpcClient client;
  private final MeshGrpcClient streams;
  /** The timer of {@link #forgetGone}, every health-probe period. */
  private final long forgetting;
  /** Set by {@link #close()}: no call is attempted after it. */
  private volatile boolean closing;

  public MeshClient(Vertx vertx, RpcSettings settings, LbSettings lb, ReplicaCache replicas) {
    this.vertx = vertx;
    this.settings = settings;
    this.lb = lb;
    this.replicas = replicas;
    this.outliers = new Outliers(lb.ejectionMillis(), lb.maxEjectionMillis(), replicas::knownServiceOf);
    // Up to 100 banked retries: enough for the calls in flight to a replica that just died, not for a storm.
    this.budget = new RetryBudget(lb.retryRatio(), 100);
    this.keepalives = new Keepalives(vertx, lb.keepaliveMillis());
    this.circuits = new Circuits(vertx, lb);
    GrpcClientOptions grpcOptions = new GrpcClientOptions()
      .setTimeout((int) settings.deadlineMillis())
      .setTimeoutUnit(TimeUnit.MILLISECONDS)
      .setScheduleDeadlineAutomatically(true)
      .setMaxMessageSize(settings.maxMessageBytes());
    this.client = grpcClient(grpcOptions, 1);
    // Streams a caller keeps open (watching an order, tracking orders) get connections of their
    // own, several per replica: on the connection unary calls use, a client's idle streams took all
    // the streams the replica allows one connection (1,000), and every order placed through that
    // replica then waited for one until its deadline.
    this.streams = grpcClient(grpcOptions, STREAM_CONNECTIONS);
    this.probe = new HealthProbe(vertx, replicas, callees, outliers, lb.probeTimeoutMillis(), circuits::checkPassed,
      keepalives::suspect);
    probe.start(lb.probeMillis());
    this.keepingAnswering = replicas.keepWhileAnswering(probe::answersReady);
    this.forgetting = vertx.setPeriodic(lb.probeMillis(), t -> forgetGone());
  }

  /**
   * Forgets what this client kept of replicas gone from its view (counters, ejections, health):
   * with containers replaced again and again, every address ever called stayed, and each heartbeat
   * published its counters. The view keeps a replica until its lease ends, a registry outage or all.
   */
  private void forgetGone() {
    Set<String> live = new HashSet<>();
    replicas.all().values().forEach(list -> list.forEach(replica -> live.add(replica.hostPort())));
    stats.retain(live);
    outliers.retain(live);
    probe.retain(live);
    keepalives.prune();
  }

  /** Connections per replica for streams: each carries as many as the replica allows (1,000 on a mesh port). */
  static final int STREAM_CONNECTIONS = 8;

  /** A gRPC client over HTTP/2 connections to the replicas, at most {@code connections} to each. */
  private MeshGrpcClient grpcClient(GrpcClientOptions options, int connections) {
    // GrpcClient.builder would build this HTTP client itself, with no way to reach its connections.
    HttpClient http = vertx.httpClientBuilder()
      .with(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, lb.connectTimeoutMillis())))
      .with(new PoolOptions().setHttp2MaxSize(connections))
      .withAddressResolver(AddressResolver.mappingResolver((SocketAddress logical) -> routable(logical.host())))
      .withLoadBalancer(new MeteredLoadBalancer(MeteredLoadBalancer.strategy(lb.strategy()), stats, outliers))
      .withConnectHandler(connection -> {
        ClientResetLimits.lift(connection);
        keepalives.watch(connection);
      })
      .build();
    // The public GrpcClient.client(vertx, http) would drop the options.
    return new MeshGrpcClient(vertx, options, http);
  }

  /**
   * The replicas of {@code service} registered and not known to be unready
   * ({@link HealthProbe#notReady}: answering so, or refusing connections), its replicas probed from now on as for a service called:
   * for a caller that reports on services it seldom calls (the gateway's /health).
   */
  public int ready(String service) {
    callees.add(service);
    return (int) replicas.replicas(service).stream().filter(r -> !probe.notReady(r.hostPort())).count();
  }

  /**
   * The replicas a call to {@code service} may go to: the registered ones not ejected. If every
   * one is ejected, all of them (better a call that may fail than none at all).
   */
  private List<SocketAddress> routable(String service) {
    callees.add(service);
    List<Replica> all = replicas.replicas(service);
    List<SocketAddress> healthy = all.stream().filter(r -> !outliers.ejected(r.hostPort())).map(Replica::address).toList();
    return healthy.isEmpty() ? all.stream().map(Replica::address).toList() : healthy;
  }

  /** The address to hand to a generated stub ({@code XxxGrpcClient.create(client.grpc(), address)}). */
  public static SocketAddress address(String service) {
    return SocketAddress.inetSocketAddress(LOGICAL_PORT, service);
  }

  public GrpcClient grpc() {
    return client;
  }

  /** Whether {@code replica} answers its health check now. */
  public Future<Boolean> healthy(Replica replica) {
    return probe.check(replica);
  }

  /** The load-balancing strategy in use. */
  public String strategy() {
    return lb.strategy();
  }

  /** What this client saw of each replica it called, by service: calls, errors, in flight, p99. */
  public JsonObject stats() {
    return stats.toJson(replicas::serviceOf);
  }

  /**
   * A unary call that, unlike the generated stubs, keeps the status message of a failed call (the
   * field a server complained about), failing with a {@link StatusException}. Retried only if it
   * never reached a replica.
   */
  public <Req, Resp> Future<Resp> unary(String service, ServiceMethod<Resp, Req> method, Req request) {
    return call(service, method, request, false, settings.deadlineMillis());
  }

  /** As {@link #unary}, for calls that are safe to repeat (reads, writes carrying an idempotency key). */
  public <Req, Resp> Future<Resp> idempotent(String service, ServiceMethod<Resp, Req> method, Req request) {
    return call(service, method, request, true, settings.deadlineMillis());
  }

  /**
   * As {@link #idempotent}, for a call whose handler makes calls of its own that may each take the
   * default deadline ({@link #deadlineMillis()}): given only that, it would run out at the moment
   * they do, and its caller would hear "did not answer" instead of what became of them.
   */
  public <Req, Resp> Future<Resp> idempotent(String service, ServiceMethod<Resp, Req> method, Req request, long deadlineMillis) {
    return call(service, method, request, true, deadlineMillis);
  }

  /** The deadline of a call that inherits none ({@code SHOPMESH_RPC_DEADLINE_MS}), and the most one inherits. */
  public long deadlineMillis() {
    return settings.deadlineMillis();
  }

  /**
   * As {@link #idempotent}, with a deadline of its own instead of the one inherited from the
   * request being served: for compensations (release the stock, refund), which must still run when
   * that request has run out of time. The call runs on a fresh duplicate of the event-loop context,
   * which carries none of the request's context locals but its trace.
   */
  public <Req, Resp> Future<Resp> detached(String service, ServiceMethod<Resp, Req> method, Req request) {
    ContextInternal current = (ContextInternal) vertx.getOrCreateContext();
    Promise<Resp> result = current.promise();
    ContextInternal own = current.unwrap().duplicate();
    Trace.carryTo(own);
    own.runOnContext(v -> call(service, method, request, true, settings.deadlineMillis())
      .onComplete(result));
    return result.future();
  }

  /**
   * One logical call: its attempts run inside the circuit breaker of the service called. Only the
   * service's silence counts against the circuit (no replica, no connection, no answer within the
   * deadline); any status the service answered, UNAVAILABLE about its own dependencies included,
   * is a success for the circuit and passes through to the caller unchanged. Otherwise a dead
   * payment-service would open the gateway's circuit to a healthy order-service. The one answer
   * taken as silence is the service giving up on this call's own deadline
   * ({@link Deadlines#ranOutThere}), whichever end's timer fired first.
   */
  private <Req, Resp> Future<Resp> call(String service, ServiceMethod<Resp, Req> method, Req request, boolean idempotent,
                                        long deadlineMillis) {
    long now = System.currentTimeMillis();
    long deadline = Deadlines.of(vertx, now, deadlineMillis);
    UnaryOperator<Throwable> own = Deadlines.ownTimeout(deadline - now, deadlineMillis);
    budget.attempted();
    boolean[] reached = {false};
    return circuits.run(service, () -> attempt(service, method, request, idempotent, deadline, 1, reached),
        err -> !(err instanceof Answered) && Circuits.isFault(err, deadline - now, settings.deadlineMillis()))
      .recover(err -> Future.failedFuture(err instanceof Answered answered ? answered.status
        : err instanceof OpenCircuitException ? new NotSent(replicas.replicas(service).isEmpty()
          // Said as it is: with none registered, "failing" sent the reader to logs of a service not running.
          ? "no replica of " + service + " is registered" : service + " is failing; its circuit is open, calls fail fast", null)
        : own.apply(unreachable(service, err, reached[0]))));
  }

  /**
   * A transport failure (no replica, a connection refused or lost) as UNAVAILABLE naming the
   * service: said as it is, it reached clients and the log as "a dependency is unavailable". The
   * replicas' addresses stay out of the message, which clients see, and in its cause, which the
   * log line of the call that failed shows (none for "no replica", which says it all). It is
   * {@link NotSent} if no attempt reached a replica.
   *
   * @param reached whether any attempt of the call reached a replica
   */
  private static Throwable unreachable(String service, Throwable err, boolean reached) {
    if (err instanceof StatusException || err instanceof Failure || Rpc.statusOf(err) != GrpcStatus.UNAVAILABLE) {
      return err;
    }
    boolean noReplica = Rpc.isNoReplica(err);
    String message = noReplica ? "no replica of " + service + " is registered"
      : service + " could not be reached (connection refused, reset or closed)";
    // No replica is all there is to say: the resolver's exception read as a bug in the log.
    Throwable cause = noReplica ? null : err;
    return reached ? new Failure(Failure.Kind.UNAVAILABLE, message, cause) : new NotSent(message, cause);
  }

  /**
   * A call this client's close cut short. A retry made once a stopping replica's grace had run out
   * failed INTERNAL, "Client is closed", logged with a stack. {@link NotSent} if no attempt reached
   * a replica.
   */
  private static Throwable stopping(String service, boolean reached) {
    return reached ? new Failure(Failure.Kind.UNAVAILABLE, service + " did not answer before this replica stopped", null)
      : new NotSent(service + " was not called: this replica is stopping", null);
  }

  /** A status the service answered, kept apart from transport failures until the circuit has seen it. */
  private static final class Answered extends RuntimeException {
    final StatusException status;

    Answered(StatusException status) {
      super(status.message(), null, false, false);
      this.status = status;
    }
  }

  /** @param reached set once an attempt reaches a replica (its stream is open): from then on, the call may have been carried out */
  private <Req, Resp> Future<Resp> attempt(String service, ServiceMethod<Resp, Req> method, Req request,
                                           boolean idempotent, long deadline, int attempt, boolean[] reached) {
    long remaining = deadline - System.currentTimeMillis();
    if (remaining <= 0) {
      return Future.failedFuture(Deadlines.passedBeforeCalling(service));
    }
    if (closing) {
      return Future.failedFuture(stopping(service, reached[0]));
    }
    boolean[] reachedNow = {false};
    // Vert.x arms the deadline once the request is sent; a connection that never becomes ready (a
    // replica frozen, or whose kernel accepts what its process never reads) must not outlast it.
    Future<GrpcClientRequest<Req, Resp>> opened = open(client, service, method, deadline);
    // A backstop: the wait for a stream ends with the deadline already; a stream handed over after
    // this gave up is given back.
    return opened.timeout(remaining + Deadlines.BACKSTOP_MILLIS, TimeUnit.MILLISECONDS)
      .recover(err -> {
        opened.onSuccess(MeshGrpcClient::cancel);
        return Future.failedFuture(err instanceof TimeoutException ? Deadlines.noConnection(service) : err);
      })
      .compose(req -> {
        reachedNow[0] = true;
        reached[0] = true;
        return Deadlines.backstopped(exchange(service, req, request), req, deadline)
          .recover(err -> Future.failedFuture(err instanceof TimeoutException ? Deadlines.noAnswer(service) : err));
      })
      .recover(err -> {
        if (closing && !(err instanceof Answered)) {
          // Closed under it: Vert.x's failure says "Client is closed", and retrying is pointless.
          return Future.failedFuture(stopping(service, reached[0]));
        }
        boolean retry = Rpc.statusOf(err) == GrpcStatus.UNAVAILABLE && (idempotent || !reachedNow[0])
          && attempt < lb.maxAttempts() && budget.tryRetry();
        long backoff = backoff(attempt);
        if (!retry || deadline - System.currentTimeMillis() <= backoff) {
          return Future.failedFuture(err);
        }
        return beforeRetry(err, backoff).compose(v -> attempt(service, method, request, idempotent, deadline, attempt + 1, reached));
      });
  }

  private <Req, Resp> Future<Resp> exchange(String service, GrpcClientRequest<Req, Resp> req, Req request) {
    String replica = Replica.hostPort(req.connection().remoteAddress().host(), req.connection().remoteAddress().port());
    return req.end(request)
      .compose(v -> req.response())
      .compose(resp -> resp.last()
        .andThen(ok -> outliers.succeeded(replica))
        .recover(err -> {
          if (resp.status() == null || resp.status() == GrpcStatus.OK) {
            return Future.failedFuture(err);
          }
          if (stats.status(replica, resp.status())) {
            outliers.fault(replica);
          }
          StatusException answered = new StatusException(resp.status(), resp.statusMessage());
          return Future.failedFuture(Deadlines.ranOutThere(answered) ? Deadlines.noAnswer(service) : new Answered(answered));
        }))
      .recover(err -> Future.failedFuture(req.deadline() != null && req.deadline().succeeded()
        ? Deadlines.noAnswer(service)
        : err));
  }

  /**
   * Opens a streaming call. Streams (watching an order, tracking orders) live as long as their
   * caller keeps them open, so the default deadline does not apply to them; a deadline inherited
   * from the request being served still does. One that cannot open names the service, as a unary
   * call's failure does (the gateway's relays said "a dependency is unavailable").
   */
  public <Req, Resp> Future<GrpcClientRequest<Req, Resp>> stream(String service, ServiceMethod<Resp, Req> method) {
    budget.attempted();
    GrpcLocal inherited = Deadlines.inherited(vertx);
    return openStream(service, method, inherited == null ? 0 : inherited.deadline().toEpochMilli(), 1);
  }

  /**
   * One attempt of {@link #stream}, by {@code deadline} if not 0. One whose connection was refused
   * is opened again on another replica, as a read is ({@link #readAttempt}): the relays of the
   * gateway failed every stream opened on a stopping replica while it was still in their view.
   */
  private <Req, Resp> Future<GrpcClientRequest<Req, Resp>> openStream(String service, ServiceMethod<Resp, Req> method,
                                                                       long deadline, int attempt) {
    if (closing) {
      return Future.failedFuture(stopping(service, false));
    }
    Future<GrpcClientRequest<Req, Resp>> opened = deadline == 0
      ? streams.request(address(service), method).map(req -> req.timeout(0, TimeUnit.MILLISECONDS))
      : open(streams, service, method, deadline);
    return opened.onSuccess(this::countEnd).recover(err -> {
      long backoff = backoff(attempt);
      return retriesOpening(err, attempt, deadline == 0 ? Long.MAX_VALUE : deadline - System.currentTimeMillis(), backoff)
        ? vertx.timer(backoff).compose(v -> openStream(service, method, deadline, attempt + 1))
        : Future.failedFuture(unreachable(service, err, false));
    });
  }

  /**
   * Whether a stream that failed before it reached its caller (a connection refused, a stream
   * refused by a replica's GOAWAY) is sent again, attempt {@code attempt} having failed: a replica
   * that stops refuses connections for up to a refresh of its callers' views. Not when no replica
   * is registered, which another attempt would not change.
   */
  private boolean retriesOpening(Throwable err, int attempt, long millisLeft, long backoff) {
    return Rpc.statusOf(err) == GrpcStatus.UNAVAILABLE && !Rpc.isNoReplica(err) && attempt < lb.maxAttempts()
      && millisLeft > backoff && budget.tryRetry();
  }

  /**
   * Counts the status a stream ends with against its replica, as a unary call's is: a thousand
   * ListProducts streams failed, and status showed the replica with no error.
   */
  private void countEnd(GrpcClientRequest<?, ?> req) {
    String replica = Replica.hostPort(req.connection().remoteAddress().host(), req.connection().remoteAddress().port());
    req.response().onSuccess(resp -> resp.end().onFailure(err -> {
      if (resp.status() != null && stats.status(replica, resp.status())) {
        outliers.fault(replica);
      }
    }));
  }

  /**
   * Opens a call that must end by {@code deadline}, its deadline set, waiting for a stream no longer
   * than that ({@link MeshGrpcClient}). A call whose stream comes once the deadline has passed
   * gives it back, and fails DEADLINE_EXCEEDED: the caller's deadline passing, not the service
   * failing (as INTERNAL, under callers' 2 ms deadlines, it opened a healthy catalog-service's
   * circuit for everyone).
   */
  private <Req, Resp> Future<GrpcClientRequest<Req, Resp>> open(MeshGrpcClient over, String service, ServiceMethod<Resp, Req> method,
                                                                 long deadline) {
    long wait = deadline - System.currentTimeMillis();
    if (wait <= 0) {
      return Future.failedFuture(Deadlines.passedBeforeCalling(service));
    }
    return over.request(address(service), method, wait)
      .recover(err -> Future.failedFuture(err instanceof TimeoutException ? Deadlines.noConnection(service)
        : System.currentTimeMillis() >= deadline ? Deadlines.passedBeforeCalling(service) : err))
      .compose(req -> {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          MeshGrpcClient.cancel(req);
          return Future.failedFuture(Deadlines.passedBeforeCalling(service));
        }
        return Future.succeededFuture(req.timeout(left, TimeUnit.MILLISECONDS));
      });
  }

  /**
   * A server-streaming call read to its end by {@code reader}, which gets the response stream to
   * set its message handler on, and may pause and resume it: a paused stream holds its server
   * back once HTTP/2's flow-control windows fill, so a reader keeps only what it holds however long
   * the stream. Completes when the stream ends OK, or fails with its status. Completing
   * {@code abandon} first cancels the call.
   *
   * <p>Unlike a stream kept open, a read has a deadline, an inherited one or {@code deadlineMillis},
   * with the backstop of unary calls (Vert.x 5.0.7 can lose the end of a call whose deadline cancel
   * races the server's reset): a replica that stalls fails the read DEADLINE_EXCEEDED instead of
   * holding its caller for good.
   */
  public <Req, Resp> Future<Void> read(String service, ServiceMethod<Resp, Req> method, Req request, long deadlineMillis,
                                       Future<?> abandon, Handler<ReadStream<Resp>> reader) {
    long now = System.currentTimeMillis();
    long deadline = Deadlines.of(vertx, now, deadlineMillis);
    budget.attempted();
    return readAttempt(service, method, request, deadline, Deadlines.ownTimeout(deadline - now, deadlineMillis), abandon, reader, 1);
  }

  /**
   * One attempt of {@link #read}. One that failed before any of the stream reached {@code reader}
   * is sent again, to another replica ({@link #retriesOpening}), as a unary call that never reached
   * one is: every {@code GET /api/products} sent while a replica stopped failed 503.
   */
  private <Req, Resp> Future<Void> readAttempt(String service, ServiceMethod<Resp, Req> method, Req request, long deadline,
                                               UnaryOperator<Throwable> own, Future<?> abandon, Handler<ReadStream<Resp>> reader,
                                               int attempt) {
    if (closing) {
      return Future.failedFuture(stopping(service, false));
    }
    boolean[] reached = {false};
    boolean[] answered = {false};
    // Its wait for a stream ends with its deadline too, which is set (open).
    return open(streams, service, method, deadline).onSuccess(this::countEnd).compose(req -> {
      reached[0] = true;
      Promise<Void> read = Promise.promise();
      req.end(request);
      req.response().onComplete(resp -> {
        answered[0] = true;
        reader.handle(resp);
        resp.exceptionHandler(read::tryFail).endHandler(v -> {
          StatusException failed = Rpc.endStatus(resp);
          if (failed != null) {
            read.tryFail(failed);
          } else {
            read.tryComplete();
          }
        });
      }, read::tryFail);
      abandon.onComplete(stop -> {
        if (read.tryFail(new StatusException(GrpcStatus.CANCELLED, "abandoned by its reader"))) {
          MeshGrpcClient.cancel(req);
        }
      });
      return Deadlines.backstopped(read.future(), req, deadline)
        .recover(err -> Future.failedFuture(err instanceof TimeoutException || req.deadline() != null && req.deadline().succeeded()
          || Deadlines.ranOutThere(err) ? own.apply(Deadlines.noAnswer(service)) : err));
    }).recover(err -> {
      Throwable failure = unreachable(service, err, reached[0]);
      long backoff = backoff(attempt);
      return !answered[0] && !abandon.isComplete() && retriesOpening(err, attempt, deadline - System.currentTimeMillis(), backoff)
        ? vertx.timer(backoff).compose(v -> readAttempt(service, method, request, deadline, own, abandon, reader, attempt + 1))
        : Future.failedFuture(failure);
    });
  }

  /**
   * The wait before a retry of a unary attempt that failed with {@code err} (streams and reads do
   * not retry one that found no replica, {@link #retriesOpening}). One that found no replica
   * in this view reads the registry again first: a replica registered since the last read, by
   * another process (whose announcements do not reach this one), is in the view only from the next
   * periodic read, up to a second later. A fresh order-service replica, its view read before
   * payment-service registered, failed orders "no replica of payment-service is registered" while
   * payment-service served. A service with none at all stops costing reads once its circuit opens.
   */
  private Future<Void> beforeRetry(Throwable err, long backoff) {
    Future<Void> waited = vertx.timer(backoff).mapEmpty();
    return Rpc.isNoReplica(err) ? waited.compose(v -> replicas.refresh().otherwiseEmpty()) : waited;
  }

  /** How long to wait before attempt {@code attempt + 1}: jittered, so that callers failed together do not retry together. */
  private static long backoff(int attempt) {
    return ThreadLocalRandom.current().nextLong(5, 25) * attempt;
  }

  public Future<Void> close() {
    closing = true;
    vertx.cancelTimer(forgetting);
    probe.stop();
    keepingAnswering.run();
    circuits.close();
    return Future.join(client.close(), streams.close()).mapEmpty();
  }
}
