package dev.shopmesh.platform.discovery;

import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.error.Failure;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.LogCapture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A registry that cannot be read is said once, not on every refresh, and not kept quiet. */
@ExtendWith(VertxExtension.class)
class ReplicaCacheTest {

  LogCapture log;
  List<LogRecord> records;
  Vertx vertx;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    log = new LogCapture("shopmesh.discovery", Level.INFO);
    records = log.records();
  }

  @AfterEach
  void stop() {
    log.close();
  }

  @Test
  void anUnreadableRegistryIsLoggedOnceWhileItStaysUnreadable() {
    // Nothing listens on port 1.
    Discovery unreachable = new Discovery(vertx, Config.of(Map.of("SHOPMESH_DISCOVERY", "redis://127.0.0.1:1")));
    ReplicaCache cache = new ReplicaCache(vertx, unreachable, 60_000);
    for (int i = 0; i < 3; i++) {
      Await.failure(cache.refresh());
    }
    assertThat(records).filteredOn(r -> r.getLevel() == Level.WARNING).extracting(LogRecord::getMessage)
      .singleElement().asString().startsWith("discovery unreadable, calls keep going to the 0 replicas last seen");
  }

  /** A Redis of the test's own on a free port, to kill and start again empty; the test is skipped without redis-server. */
  static final class Registry {

    private final List<String> command;
    private Process process;

    private Registry(int port) throws IOException {
      command = List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no");
      restart();
    }

    static Registry start() throws IOException {
      assumeTrue(Path.of("/usr/bin/redis-server").toFile().canExecute(), "redis-server is not installed (apt-get install redis-server)");
      int port;
      try (ServerSocket free = new ServerSocket(0)) {
        port = free.getLocalPort();
      }
      return new Registry(port);
    }

    String url() {
      return "redis://127.0.0.1:" + command.get(2);
    }

    void kill() throws InterruptedException {
      process.destroyForcibly().waitFor();
    }

    /** Stops it answering, its connections still open: a Redis frozen, or cut off from this host by the network. */
    void freeze() throws IOException, InterruptedException {
      new ProcessBuilder("kill", "-STOP", String.valueOf(process.pid())).start().waitFor();
    }

    /** Lets it answer again after {@link #freeze()}. */
    void thaw() throws IOException, InterruptedException {
      new ProcessBuilder("kill", "-CONT", String.valueOf(process.pid())).start().waitFor();
    }

    /** Empties it, as a restart without persistence does, without the restart's refused connections. */
    void empty() throws IOException {
      try (Socket client = new Socket("127.0.0.1", Integer.parseInt(command.get(2)))) {
        client.getOutputStream().write("*1\r\n$8\r\nFLUSHALL\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        byte[] ok = client.getInputStream().readNBytes(5);
        assertThat(new String(ok, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("+OK\r\n");
      }
    }

    /** Starts it (again, empty) and waits until it takes connections: a client that found it not yet up could be left unusable. */
    void restart() throws IOException {
      process = new ProcessBuilder(command).start();
      Await.until("redis takes connections", Duration.ofSeconds(10), () -> {
        try (Socket probe = new Socket("127.0.0.1", Integer.parseInt(command.get(2)))) {
          return true;
        } catch (IOException e) {
          return false;
        }
      });
    }
  }

  /**
   * A registry that stops answering: the Redis client waits as long as TCP does and queues what
   * follows, so it was noticed only once 24 requests were queued, 13 s later, and logged as
   * "Connection pool reached max wait queue size of 24".
   */
  @Test
  void aRegistryThatStopsAnsweringIsSaidSoWithinALease() throws Exception {
    Registry registry = Registry.start();
    try {
      Discovery discovery = withoutHeartbeats(registry, 500);
      ReplicaCache cache = new ReplicaCache(vertx, discovery, 600_000);
      Await.result(cache.refresh());
      registry.freeze();
      assertThat(Await.failure(cache.refresh())).hasMessage("the registry did not answer within 500 ms");
      assertThat(records).filteredOn(r -> r.getLevel() == Level.WARNING).extracting(LogRecord::getMessage)
        .singleElement().asString().endsWith("the registry did not answer within 500 ms");
    } finally {
      registry.kill();
    }
  }

  /**
   * A replica starting while the registry is slow to answer (a host busy starting other replicas):
   * its first read and its registration wait for it. The start failed at the first timeout, and the
   * process exited.
   */
  @Test
  void aStartWaitsForARegistryThatAnswersLate() throws Exception {
    Registry registry = Registry.start();
    try {
      Discovery discovery = withoutHeartbeats(registry, 1_000);
      registry.freeze();
      Future<Registration> registering = discovery.register("late-service", "127.0.0.1", 1, JsonObject::new, JsonObject::new);
      Future<Void> reading = new ReplicaCache(vertx, discovery, 600_000).start();
      vertx.setTimer(1_500, id -> vertx.executeBlocking(() -> {
        registry.thaw();
        return null;
      }));
      Await.result(Future.all(registering, reading));
      assertThat(records).filteredOn(r -> r.getLevel() == Level.WARNING).extracting(LogRecord::getMessage).hasSize(2)
        .anyMatch(m -> m.startsWith("registering late-service: the registry did not answer within 1000 ms; trying again for up to "))
        .anyMatch(m -> m.startsWith("the first read of the registry: the registry did not answer within 1000 ms; trying again"));
      // The first publish, answered late, stored the record too: tried again, it stored the same one.
      assertThat(Await.result(discovery.read()).recorded()).hasSize(1);
    } finally {
      registry.kill();
    }
  }

  /** A registry not yet listening when a replica starts (started alongside it): the start waits for it, up to ten leases. */
  @Test
  void aStartWaitsForARegistryNotYetListeningAndGivesUpAfterTenLeases() throws Exception {
    Registry registry = Registry.start();
    try {
      registry.kill();
      long start = System.nanoTime();
      Future<Void> given = new ReplicaCache(vertx, withoutHeartbeats(registry, 500), 600_000).start();
      // Refused at once, each attempt; a loaded machine could have one time out instead.
      assertThat(Await.failure(given)).hasMessageStartingWith("the first read of the registry: ").hasMessageContaining(" attempts in ")
        .as("the setting to look at").hasMessageEndingWith("; SHOPMESH_DISCOVERY=" + registry.url() + ")");
      assertThat((System.nanoTime() - start) / 1_000_000).as("ms until given up, ten leases being 5000").isBetween(4_000L, 15_000L);
      Future<Void> started = new ReplicaCache(vertx, withoutHeartbeats(registry, 2_000), 600_000).start();
      vertx.setTimer(1_000, id -> vertx.executeBlocking(() -> {
        registry.restart();
        return null;
      }));
      Await.result(started);
    } finally {
      registry.kill();
    }
  }

  /** A heartbeat that cannot renew its lease says so when it starts failing and when it works again, not every beat. */
  @Test
  void aFailingLeaseRenewalIsLoggedOnceWhileItKeepsFailing() throws Exception {
    Registry registry = Registry.start();
    try {
      Discovery discovery = new Discovery(vertx, Config.of(Map.of("SHOPMESH_DISCOVERY", registry.url(),
        "SHOPMESH_HEARTBEAT_MS", "20")));
      AtomicInteger beats = new AtomicInteger();
      Await.result(discovery.register("renewed-service", "127.0.0.1", 1, () -> {
        beats.incrementAndGet();
        return new JsonObject();
      }, JsonObject::new));
      registry.kill();
      int downAt = beats.get();
      Await.until("ten heartbeats into the outage", Duration.ofSeconds(20), () -> beats.get() >= downAt + 10);
      assertThat(records).filteredOn(r -> r.getLevel() == Level.WARNING).extracting(LogRecord::getMessage)
        .singleElement().asString().startsWith("lease renewal of renewed-service failing");
      registry.restart();
      Await.until("the renewal works again, once", Duration.ofSeconds(20), () -> records.stream()
        .filter(r -> r.getMessage().equals("lease renewal of renewed-service works again")).count() == 1);
    } finally {
      registry.kill();
    }
  }

  /**
   * A registry host that does not resolve (misspelt, or a container not up yet) is tried again as a
   * silent one is, and given up on naming the setting, its password left out: Netty's "Failed to
   * resolve" ended the start at once, with a stack, naming no setting.
   */
  @Test
  void aRegistryHostThatDoesNotResolveIsTriedAgainThenNamed() {
    Discovery misspelt = new Discovery(vertx, Config.of(Map.of("SHOPMESH_DISCOVERY", "redis://127.0.0.l:6390?password=secret",
      "SHOPMESH_LEASE_MS", "300")));
    Throwable refused = Await.failure(new ReplicaCache(vertx, misspelt, 600_000).start());
    assertThat(refused).isInstanceOf(Failure.class).hasMessageStartingWith("the first read of the registry: ")
      .hasMessageContaining(" attempts in ").hasMessageEndingWith("; SHOPMESH_DISCOVERY=redis://127.0.0.l:6390?password=…)");
  }

  /** Discovery in {@code registry} whose heartbeats do not beat within a test, its leases {@code leaseMillis} long. */
  Discovery withoutHeartbeats(Registry registry, long leaseMillis) {
    return new Discovery(vertx, Config.of(Map.of("SHOPMESH_DISCOVERY", registry.url(),
      "SHOPMESH_HEARTBEAT_MS", "600000", "SHOPMESH_LEASE_MS", String.valueOf(leaseMillis))));
  }

  /** A registry restarted empty: until the replicas' next heartbeats, their callers keep the last view. */
  @Test
  void aRegistryBackEmptyAfterAnOutageLeavesTheLastViewForOneLease() throws Exception {
    Registry registry = Registry.start();
    try {
      // No heartbeat within the test: only the grace can keep the replica in view. 3 s: with 1 s,
      // a loaded machine took longer than that to restart the registry, and the view was gone.
      Discovery discovery = withoutHeartbeats(registry, 3_000);
      ReplicaCache cache = new ReplicaCache(vertx, discovery, 600_000);
      Await.result(discovery.register("kept-service", "127.0.0.1", 1, JsonObject::new, JsonObject::new));
      Await.result(cache.refresh());
      assertThat(cache.replicas("kept-service")).hasSize(1);
      registry.kill();
      Await.failure(cache.refresh());
      registry.restart();
      Await.until("the registry serves again", Duration.ofSeconds(10), () -> Await.result(cache.refresh().map(true).otherwise(false)));
      assertThat(cache.replicas("kept-service")).as("right after the outage, from a registry back empty").hasSize(1);
      Await.until("the lease after the outage passes", Duration.ofSeconds(10),
        () -> Await.result(cache.refresh().map(v -> cache.replicas("kept-service").isEmpty())));
    } finally {
      registry.kill();
    }
  }

  /**
   * A registry emptied between two reads, none failing (a Redis restarted within a refresh period):
   * the view was taken as it read, with no replica at all, and a third of the orders failed.
   */
  @Test
  void aRegistryEmptiedBetweenTwoReadsLeavesTheLastViewForOneLease() throws Exception {
    Registry registry = Registry.start();
    try {
      Discovery discovery = withoutHeartbeats(registry, 2_000);
      ReplicaCache cache = new ReplicaCache(vertx, discovery, 600_000);
      Await.result(discovery.register("kept-service", "127.0.0.1", 1, JsonObject::new, JsonObject::new));
      Await.result(cache.refresh());
      assertThat(cache.replicas("kept-service")).hasSize(1);
      registry.empty();
      Await.result(cache.refresh());
      assertThat(cache.replicas("kept-service")).as("read from a registry just emptied").hasSize(1);
      assertThat(records).extracting(LogRecord::getMessage).anyMatch(m -> m.startsWith("registrations of live replicas are gone from the registry"));
      Await.until("the lease after the loss passes", Duration.ofSeconds(10),
        () -> Await.result(cache.refresh().map(v -> cache.replicas("kept-service").isEmpty())));
    } finally {
      registry.kill();
    }
  }

  /**
   * A replica whose heartbeats no longer reach the registry (Redis cut off from its host alone)
   * while its callers' health checks still pass: dropped, the only order-service left the mesh and
   * 60 % of the orders failed "no replica of order-service is registered" while it lasted.
   */
  @Test
  void aReplicaWhoseLeaseWentStaleStaysInTheViewWhileItAnswersItsChecks() throws Exception {
    Registry registry = Registry.start();
    try {
      Discovery discovery = withoutHeartbeats(registry, 1_000);
      ReplicaCache cache = new ReplicaCache(vertx, discovery, 600_000);
      AtomicBoolean answers = new AtomicBoolean(true);
      cache.keepWhileAnswering(hostPort -> answers.get());
      Await.result(discovery.register("cut-off-service", "127.0.0.1", 1, JsonObject::new, JsonObject::new));
      Await.result(cache.refresh());
      assertThat(cache.replicas("cut-off-service")).hasSize(1);
      // Past three leases: stale, then reaped from the registry altogether.
      Await.until("its record reaped", Duration.ofSeconds(10), () -> Await.result(discovery.read()).recorded().isEmpty());
      Await.result(cache.refresh());
      assertThat(cache.replicas("cut-off-service")).as("no lease, but answering its checks").hasSize(1);
      assertThat(records).extracting(LogRecord::getMessage).anyMatch(m -> m.startsWith("replicas whose heartbeats no longer reach"));
      answers.set(false);
      Await.result(cache.refresh());
      assertThat(cache.replicas("cut-off-service")).as("no longer answering").isEmpty();
    } finally {
      registry.kill();
    }
  }

  /** Unlike a registration lost with the registry's data, a withdrawn one leaves the view at once. */
  @Test
  void aWithdrawnReplicaLeavesTheViewAtOnce() throws Exception {
    Registry registry = Registry.start();
    try {
      Discovery discovery = withoutHeartbeats(registry, 60_000);
      ReplicaCache cache = new ReplicaCache(vertx, discovery, 600_000);
      cache.keepWhileAnswering(hostPort -> true);
      Registration registration = Await.result(discovery.register("leaving-service", "127.0.0.1", 1, JsonObject::new, JsonObject::new));
      Await.result(cache.refresh());
      assertThat(cache.replicas("leaving-service")).hasSize(1);
      Await.result(registration.withdraw());
      Await.result(cache.refresh());
      assertThat(cache.replicas("leaving-service")).isEmpty();
    } finally {
      registry.kill();
    }
  }

  /** As on a clean stop of ./shopmesh up: one service's withdrawal announced while another's cache stops. */
  @Test
  void anAnnouncementArrivingAsTheCacheStopsIsDroppedQuietly() {
    try (LogCapture consumers = new LogCapture("io.vertx.core.eventbus.impl.MessageConsumerImpl", Level.ALL)) {
      Discovery discovery = new Discovery(vertx, Config.of(Map.of()));
      ReplicaCache cache = new ReplicaCache(vertx, discovery, 60_000);
      Await.result(cache.start());
      Promise<Void> stopped = Promise.promise();
      vertx.runOnContext(v -> {
        vertx.eventBus().publish(discovery.announceAddress(), new JsonObject());
        cache.stop();
        stopped.complete();
      });
      Await.result(stopped.future());
      assertThat(consumers.records()).extracting(LogRecord::getMessage).noneMatch(m -> m.startsWith("Discarding message"));
    }
  }

  /**
   * A heartbeat of a replica the view holds makes no read of the registry; a replica new to it, or
   * one withdrawing, is read at once.
   */
  @Test
  void onlyAnnouncementsThatChangeTheViewMakeItReadTheRegistry() {
    Discovery discovery = new Discovery(vertx, Config.of(Map.of("SHOPMESH_HEARTBEAT_MS", "20")));
    Await.result(discovery.register("beating-service", "127.0.0.1", 1, JsonObject::new, JsonObject::new));
    ReplicaCache cache = new ReplicaCache(vertx, discovery, 600_000);
    Await.result(cache.start());
    try {
      Registration second = Await.result(discovery.register("beating-service", "127.0.0.1", 2, JsonObject::new, JsonObject::new));
      Await.until("the new replica in the view", Duration.ofSeconds(5), () -> cache.replicas("beating-service").size() == 2);
      long reads = cache.reads();
      AtomicInteger heartbeats = new AtomicInteger();
      vertx.eventBus().consumer(discovery.announceAddress(), msg -> heartbeats.incrementAndGet());
      Await.until("20 heartbeats", Duration.ofSeconds(5), () -> heartbeats.get() >= 20);
      assertThat(cache.reads() - reads).as("reads of the registry for 20 heartbeats").isZero();

      Await.result(second.withdraw());
      Await.until("the withdrawn replica out of the view", Duration.ofSeconds(5), () -> cache.replicas("beating-service").size() == 1);
    } finally {
      cache.stop();
    }
  }
}
