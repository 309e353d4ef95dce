package dev.shopmesh.platform.discovery;

import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.DatabaseOnlyService;
import dev.shopmesh.platform.testing.TestConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * SHOPMESH_DISCOVERY=dir: a registry that separate processes on one machine share through the data
 * directory. Each side here has a Vert.x of its own, as two processes would: the in-process
 * registry ({@code local}) shares nothing between them.
 */
class RegistryDirectoryTest {

  @TempDir
  Path data;
  final List<Vertx> vertxes = new ArrayList<>();

  @AfterEach
  void close() {
    vertxes.forEach(v -> Await.result(v.close()));
    // A heartbeat queued before the close still writes; a read queued after it waits for that
    // write, which would otherwise race JUnit deleting the directory.
    Await.result(process("3000").replicas());
    Await.result(vertxes.get(vertxes.size() - 1).close());
  }

  List<String> files() {
    return Stream.of(data.resolve("registry").toFile().list()).filter(name -> name.endsWith(".json")).toList();
  }

  /** The file's text, empty when it cannot be read (gone). */
  static String content(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }

  Discovery process(String lease) {
    Vertx vertx = Vertx.vertx();
    vertxes.add(vertx);
    return new Discovery(vertx, Config.of(Map.of("SHOPMESH_DISCOVERY", "dir", "SHOPMESH_DATA_DIR", data.toString(),
      "SHOPMESH_HEARTBEAT_MS", "100", "SHOPMESH_LEASE_MS", lease)));
  }

  static Future<Registration> register(Discovery discovery, String service, int port) {
    return discovery.register(service, "127.0.0.1", port, JsonObject::new, () -> new JsonObject().put("port", port));
  }

  static List<String> addresses(Discovery discovery) {
    return Await.result(discovery.replicas()).stream().map(r -> r.service() + "@" + r.hostPort()).sorted().toList();
  }

  /**
   * A heartbeat slower than half the lease stops the replica, naming both settings: at 5 s on a 3 s
   * lease, its registration lapsed between heartbeats, and its callers dropped it and took it back
   * in turn ("no replica of order-service is registered").
   */
  @Test
  void aReplicaWhoseHeartbeatIsTooSlowForTheLeaseDoesNotStart() {
    Vertx vertx = Vertx.vertx();
    vertxes.add(vertx);
    Throwable refused = Await.failure(vertx.deployVerticle(new DatabaseOnlyService("slow-service",
      TestConfig.in(data).with("DISCOVERY", "dir").with("HEARTBEAT_MS", "5000"))));
    assertThat(refused).isInstanceOf(IllegalArgumentException.class)
      .hasMessage("SHOPMESH_HEARTBEAT_MS (--heartbeat-ms) must be at most half of SHOPMESH_LEASE_MS (3000), or registrations"
        + " lapse between heartbeats; got 5000");
    assertThat(data.resolve("registry")).as("checked before its discovery opened").doesNotExist();
  }

  @Test
  void aReplicaRegisteredByOneProcessIsFoundByAnotherUntilItWithdraws() {
    Discovery up = process("3000");
    Discovery run = process("3000");
    Await.result(register(up, "gateway", 8081));
    Registration joined = Await.result(register(run, "catalog-service", 7001));

    assertThat(addresses(up)).containsExactly("catalog-service@127.0.0.1:7001", "gateway@127.0.0.1:8081");
    assertThat(addresses(run)).isEqualTo(addresses(up));
    // What the replica publishes with its heartbeats travels too (the mesh page's answered counts).
    assertThat(Await.result(up.replicas()).stream().filter(r -> r.service().equals("catalog-service")).findFirst().orElseThrow()
      .served()).isEqualTo(new JsonObject().put("port", 7001));

    Await.result(joined.withdraw());
    assertThat(addresses(up)).containsExactly("gateway@127.0.0.1:8081");
  }

  @Test
  void aProcessThatDiedWithoutWithdrawingLeavesWithinItsLeaseAndItsFileIsRemoved() {
    Discovery survivor = process("500");
    Discovery dying = process("500");
    Await.result(register(dying, "catalog-service", 7002));
    assertThat(files()).hasSize(1);
    assertThat(addresses(survivor)).containsExactly("catalog-service@127.0.0.1:7002");

    // Its heartbeats stop, its record stays behind: a kill -9.
    Await.result(vertxes.remove(1).close());
    Await.until("the dead replica leaves the view", Duration.ofSeconds(5), () -> addresses(survivor).isEmpty());
    Await.until("its record is removed after three leases", Duration.ofSeconds(5), () -> {
      addresses(survivor);
      return files().isEmpty();
    });
  }

  /**
   * A heartbeat that only renews the lease (an idle replica's) costs a file's time, not a file
   * written and renamed; one that changes anything else, or finds the file gone, writes it whole.
   * (This JVM reads its own replicas from memory: the next test reads a renewal as another process does.)
   */
  @Test
  void anIdleReplicaRenewsItsLeaseInItsFilesTimeAndAChangeIsWrittenWhole() throws Exception {
    Discovery discovery = process("500");
    AtomicInteger answered = new AtomicInteger();
    Await.result(discovery.register("catalog-service", "127.0.0.1", 7003, JsonObject::new,
      () -> new JsonObject().put("answered", answered.get())));
    Path file = data.resolve("registry").resolve(files().get(0));
    String written = Files.readString(file);

    Vertx vertx = vertxes.get(0);
    Await.result(Future.<Void>future(passed -> vertx.setTimer(600, t -> passed.complete())));
    assertThat(Files.readString(file)).as("five heartbeats later").isEqualTo(written);
    assertThat(Files.getLastModifiedTime(file).toMillis()).isGreaterThan(System.currentTimeMillis() - 500);

    answered.set(7);
    Await.until("a heartbeat writes the change", Duration.ofSeconds(5), () -> content(file).contains("\"answered\":7"));
    Files.delete(file);
    Await.until("a heartbeat writes the file again", Duration.ofSeconds(5), () -> Files.exists(file));
    assertThat(new JsonObject(Files.readString(file)).getJsonObject("metadata").getLong("lastSeen"))
      .isGreaterThan(System.currentTimeMillis() - 500);
  }

  /** As another process's idle replica renews it (this JVM's own replicas are read from memory). */
  @Test
  void aLeaseRenewedInTheFilesTimeKeepsTheReplicaLive() throws Exception {
    Discovery discovery = process("3000");
    Path registry = Files.createDirectories(data.resolve("registry"));
    // Past its lease (3 s), not yet reaped (three leases).
    long fiveSecondsAgo = System.currentTimeMillis() - 5_000;
    Path file = registry.resolve("renewed.json");
    Files.writeString(file, new JsonObject().put("name", "payment-service").put("type", Discovery.TYPE).put("status", "UP")
      .put("location", new JsonObject().put("host", "127.0.0.1").put("port", 7021))
      .put("metadata", new JsonObject().put("lastSeen", fiveSecondsAgo)).encode());
    Files.setLastModifiedTime(file, FileTime.fromMillis(fiveSecondsAgo));
    assertThat(addresses(discovery)).isEmpty();

    Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
    assertThat(addresses(discovery)).containsExactly("payment-service@127.0.0.1:7021");
  }

  /** A registry copied without its files' times: each file's time is the copy's, and its replica long dead. */
  @Test
  void aFileTimeFarPastItsRecordsLeaseBringsNoReplicaBack() throws Exception {
    Discovery discovery = process("3000");
    Path registry = Files.createDirectories(data.resolve("registry"));
    long anHourAgo = System.currentTimeMillis() - 3_600_000;
    Files.writeString(registry.resolve("copied.json"), new JsonObject().put("name", "payment-service").put("type", Discovery.TYPE)
      .put("status", "UP").put("location", new JsonObject().put("host", "127.0.0.1").put("port", 7022))
      .put("metadata", new JsonObject().put("lastSeen", anHourAgo)).encode());

    assertThat(addresses(discovery)).isEmpty();
    Await.until("its record is removed", Duration.ofSeconds(5), () -> files().isEmpty());
  }

  /** As another process writes it: read from the disk, not from what this JVM wrote. */
  @Test
  void aRecordAnotherProcessWroteIsReadFromItsFileAndNamedByIt() throws Exception {
    Discovery discovery = process("3000");
    Path registry = Files.createDirectories(data.resolve("registry"));
    String record = new JsonObject().put("name", "order-service").put("type", Discovery.TYPE).put("status", "UP")
      .put("registration", "elsewhere").put("location", new JsonObject().put("host", "127.0.0.1").put("port", 7020))
      .put("metadata", new JsonObject().put("lastSeen", System.currentTimeMillis())).encode();
    Files.writeString(registry.resolve("4a3c2b1d.json"), record);
    // A copy under another name is a registration of its own, reaped as one: not one the reaper misses.
    Files.writeString(registry.resolve("copy.json"), record);

    assertThat(Await.result(discovery.replicas())).extracting(Replica::id, Replica::hostPort)
      .containsExactlyInAnyOrder(tuple("4a3c2b1d", "127.0.0.1:7020"), tuple("copy", "127.0.0.1:7020"));
  }

  @Test
  void filesNoRegistryWroteAreNoReplicasAndReadsAskedTogetherAllSeeEveryReplica() throws Exception {
    Discovery discovery = process("3000");
    Path registry = Files.createDirectories(data.resolve("registry"));
    Files.writeString(registry.resolve("notes.json"), "half a rec");
    Files.writeString(registry.resolve("status.json"), "{\"status\":\"SLEEPY\",\"type\":\"grpc\"}");
    Files.write(registry.resolve("latin1.json"), new byte[] {'{', (byte) 0xe9, '}'});
    Files.createDirectories(registry.resolve("a-directory.json"));
    for (int port = 7010; port < 7015; port++) {
      Await.result(register(discovery, "payment-service", port));
    }

    List<Future<List<Replica>>> together = IntStream.range(0, 20).mapToObj(i -> discovery.replicas()).toList();
    for (Future<List<Replica>> read : together) {
      assertThat(Await.result(read)).hasSize(5);
    }
  }

  @Test
  void anUnknownRegistryIsRefusedNamingTheChoices() {
    assertThatThrownBy(() -> Discovery.backend("file", data))
      .hasMessage("SHOPMESH_DISCOVERY must be 'local', 'dir' or a redis://host:port URL, got 'file'");
  }
}
