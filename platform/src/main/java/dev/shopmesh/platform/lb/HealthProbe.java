package dev.shopmesh.platform.lb;

import dev.shopmesh.platform.discovery.Replica;
import dev.shopmesh.platform.discovery.ReplicaCache;
import dev.shopmesh.platform.rpc.MeshGrpcClient;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.health.v1.HealthCheckResponse;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Active health checks: every period, each replica of the services this client calls is asked
 * {@code grpc.health.v1.Health/Check} for {@link #READY}. A replica that does not answer SERVING
 * within the timeout is ejected ({@link Outliers}) until a check it passes; one that answers is
 * credited as a successful call is. A replica ready that was not at its last check (back from a
 * crash, or new) is reported to {@code passed} with its service and {@code true}: a caller's circuit
 * to that service, opened while it had no replica to reach, need not wait out its reset time. Every
 * other passed check is reported with {@code false}.
 */
public final class HealthProbe {

  /**
   * The name every mesh server answers for its readiness: SERVING only while it can serve, its
   * database reachable included. Vert.x answers the empty name SERVING whatever the state (it says
   * only that the process listens), so a replica whose database was down, or whose disk was full,
   * was reported healthy to its callers, to /health and to the container's health check.
   */
  public static final String READY = "ready";

  public static final ServiceMethod<HealthCheckResponse, HealthCheckRequest> CHECK = ServiceMethod.client(
    ServiceName.create("grpc.health.v1.Health"), "Check", GrpcMessageEncoder.encoder(),
    GrpcMessageDecoder.decoder(HealthCheckResponse.newBuilder()));

  private final Vertx vertx;
  private final GrpcClient direct;
  /** For the replicas whose port serves TLS only (a gateway given a certificate); opened at their first check. */
  private GrpcClient directTls;
  private boolean stopped;
  private final ReplicaCache replicas;
  private final Set<String> callees;
  private final Outliers outliers;
  private final long timeoutMillis;
  private final Set<String> notReady = ConcurrentHashMap.newKeySet();
  /** The replicas that answered SERVING at their last check. */
  private final Set<String> ready = ConcurrentHashMap.newKeySet();
  private final BiConsumer<String, Boolean> passed;
  private final Consumer<String> unanswered;
  private long timer = -1;

  public HealthProbe(Vertx vertx, ReplicaCache replicas, Set<String> callees, Outliers outliers, long timeoutMillis,
                     BiConsumer<String, Boolean> passed) {
    this(vertx, replicas, callees, outliers, timeoutMillis, passed, hostPort -> { });
  }

  /** @param unanswered told the host port of each replica whose check got no answer at all (not even a refusal) */
  public HealthProbe(Vertx vertx, ReplicaCache replicas, Set<String> callees, Outliers outliers, long timeoutMillis,
                     BiConsumer<String, Boolean> passed, Consumer<String> unanswered) {
    this.unanswered = unanswered;
    this.vertx = vertx;
    this.direct = client(vertx, timeoutMillis);
    this.replicas = replicas;
    this.callees = callees;
    this.outliers = outliers;
    this.timeoutMillis = timeoutMillis;
    this.passed = passed;
  }

  public void start(long periodMillis) {
    timer = vertx.setPeriodic(periodMillis, t -> callees.forEach(service -> replicas.replicas(service).forEach(this::probe)));
  }

  void probe(Replica replica) {
    String hostPort = replica.hostPort();
    status(clientFor(replica), replica.address(), timeoutMillis).onComplete(answered -> {
      if (answered.succeeded() && answered.result() == HealthCheckResponse.ServingStatus.SERVING) {
        outliers.probePassed(hostPort);
        notReady.remove(hostPort);
        passed.accept(replica.service(), ready.add(hostPort));
      } else {
        ready.remove(hostPort);
        outliers.probeFailed(hostPort);
        if (answered.succeeded() || gone(answered.cause())) {
          notReady.add(hostPort);
        } else if (answered.cause() instanceof TimeoutException || answered.cause() instanceof ConnectTimeoutException) {
          unanswered.accept(hostPort);
        }
      }
    });
  }

  /**
   * Whether the replica at {@code hostPort} answered its last health check that it is not ready
   * (its database unreachable), or refused its connection or had no route to it (a process or a
   * container gone: until its lease ran out, /health counted a killed replica ready while every
   * call to it failed). Unlike an ejection, a check that timed out (an overloaded replica, a busy
   * caller) does not count: it says nothing of the replica's readiness.
   */
  public boolean notReady(String hostPort) {
    return notReady.contains(hostPort);
  }

  /**
   * A connection refused (a process gone), or no route to its host (a container's address gone, as
   * the network says once it has asked for it); not one that timed out, which says nothing (Netty's
   * timeout is a ConnectException too).
   */
  private static boolean gone(Throwable cause) {
    return cause instanceof ConnectException && !(cause instanceof ConnectTimeoutException) || cause instanceof NoRouteToHostException;
  }

  /** Whether the replica at {@code hostPort} answered SERVING at its last check. */
  public boolean answersReady(String hostPort) {
    return ready.contains(hostPort);
  }

  /** Forgets the replicas not in {@code live}, as {@link ClientStats#retain} does. */
  public void retain(Set<String> live) {
    notReady.retainAll(live);
    ready.retainAll(live);
  }

  /** Whether the replica answers SERVING within the timeout; never fails. */
  public Future<Boolean> check(Replica replica) {
    return serving(status(clientFor(replica), replica.address(), timeoutMillis));
  }

  /**
   * The client that speaks to {@code replica}'s port: over TLS to a gateway given a certificate,
   * whose port answers nothing else (every other replica read it NO). It trusts any certificate:
   * a check asks whether the replica answers, not who it is, and sends nothing secret; the
   * certificate is for the name clients reach the gateway by, not for the address it registered.
   */
  private synchronized GrpcClient clientFor(Replica replica) {
    if (!replica.tls() || stopped) {
      // Once stopped, the closed client fails the check rather than a new one being left open.
      return direct;
    }
    if (directTls == null) {
      directTls = GrpcClient.client(vertx, options(timeoutMillis).setSsl(true).setUseAlpn(true).setTrustAll(true).setVerifyHost(false));
    }
    return directTls;
  }

  /** A one-off check of the gRPC server at {@code address}, for container health checks. */
  public static Future<Boolean> check(Vertx vertx, SocketAddress address, long timeoutMillis) {
    GrpcClient client = client(vertx, timeoutMillis);
    return serving(status(client, address, timeoutMillis)).eventually(client::close);
  }

  /**
   * A client whose connections give up within a check's timeout. With Vert.x's 60 s, a check of a
   * replica whose address stopped answering left its connection attempt pending, and the checks
   * after it waited on that attempt rather than trying again: a replica back within the minute
   * stayed ejected, its checks failing, until the attempt gave up.
   */
  private static GrpcClient client(Vertx vertx, long timeoutMillis) {
    return GrpcClient.client(vertx, options(timeoutMillis));
  }

  private static HttpClientOptions options(long timeoutMillis) {
    return new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)
      .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMillis));
  }

  private static Future<Boolean> serving(Future<HealthCheckResponse.ServingStatus> status) {
    return status.map(s -> s == HealthCheckResponse.ServingStatus.SERVING).otherwise(false);
  }

  /** The status the server answered for {@link #READY}; failed if it did not answer within the timeout. */
  private static Future<HealthCheckResponse.ServingStatus> status(GrpcClient client, SocketAddress address, long timeoutMillis) {
    // Through compose, so that a client closed under a last timer tick fails the future, not the thread.
    Future<GrpcClientRequest<HealthCheckRequest, HealthCheckResponse>> opened =
      Future.succeededFuture().compose(v -> client.request(address, CHECK));
    // The timeout is the caller's own: a plain GrpcClient only sends req.timeout as a header, and a
    // replica that accepts connections but never answers would hold the probe for good.
    return opened
      .compose(req -> req.timeout(timeoutMillis, TimeUnit.MILLISECONDS).end(HealthCheckRequest.newBuilder().setService(READY).build())
        .compose(v -> req.response()).compose(resp -> resp.last()))
      .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
      // A stream handed over after the check gave up is given back (cancelled unsent, it was kept).
      .onFailure(err -> opened.onSuccess(MeshGrpcClient::cancel))
      .map(HealthCheckResponse::getStatus);
  }

  public synchronized void stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    direct.close();
    if (directTls != null) {
      directTls.close();
    }
  }
}
