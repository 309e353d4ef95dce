package dev.shopmesh.platform.db;

import dev.shopmesh.platform.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every insert the embedded database acknowledged is in its file after {@code kill -9} of the
 * process, with many commits in flight: a child JVM ({@link CommitStream}) streams acknowledged ids
 * and is killed mid-stream, then the file is reopened and every acknowledged id looked up.
 */
@ExtendWith(VertxExtension.class)
class EmbeddedDurabilityTest {

  static final int CYCLES = 3;
  /** Twice the default pool size, so every pooled connection commits concurrently. */
  static final int IN_FLIGHT = 16;
  static final int KILL_AFTER = 3000;

  @TempDir
  Path dir;

  Vertx vertx;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
  }

  @Test
  void everyAcknowledgedCommitIsThereAfterSigkill() throws Exception {
    List<String> losses = new ArrayList<>();
    for (int cycle = 1; cycle <= CYCLES; cycle++) {
      Path data = dir.resolve("cycle-" + cycle);
      Set<Long> acknowledged = streamAndKill(data);
      TreeSet<Long> lost = new TreeSet<>(acknowledged);
      lost.removeAll(storedIds(data));
      if (!lost.isEmpty()) {
        losses.add("cycle " + cycle + ": " + lost.size() + " of " + acknowledged.size() + " acknowledged ids missing, "
          + lost.first() + " to " + lost.last());
      }
    }
    assertThat(losses).as("acknowledged commits missing after kill -9").isEmpty();
  }

  @Test
  void aKilledProcessLeavesNoCopyOfSqlitesLibraryBehind() throws Exception {
    Path data = dir.resolve("data");
    streamAndKill(data);
    try (var left = Files.list(temp())) {
      assertThat(left.map(p -> p.getFileName().toString())).as("files the child left in its temp directory")
        .noneMatch(name -> name.startsWith("sqlite-"));
    }
    try (var copies = Files.list(data.resolve(".native"))) {
      assertThat(copies).as("the copy in the data directory, for the next start").hasSize(1);
    }
  }

  /** The ids the child acknowledged before it was killed, {@link #KILL_AFTER} acknowledgements into its stream. */
  Set<Long> streamAndKill(Path data) throws Exception {
    // a file rather than a pipe: what the child wrote before the kill is all there afterwards
    Path acks = dir.resolve(data.getFileName() + ".acks");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-Djava.io.tmpdir=" + temp(), "-cp", System.getProperty("java.class.path"),
      CommitStream.class.getName(), data.toString(), Integer.toString(IN_FLIGHT))
      .redirectOutput(acks.toFile()).redirectError(dir.resolve(data.getFileName() + ".log").toFile()).start();
    try {
      Await.until("the child acknowledges " + KILL_AFTER + " inserts (see " + data.getFileName() + ".log)",
        Duration.ofSeconds(40), () -> lines(acks).size() > KILL_AFTER || !child.isAlive());
      assertThat(child.isAlive()).as("child is running (see %s.log)", data.getFileName()).isTrue();
    } finally {
      // Killed even when the wait failed: else it would go on inserting after the test.
      child.destroyForcibly().waitFor();
    }
    Set<Long> ids = new HashSet<>();
    lines(acks).stream().filter(line -> !line.equals("ready")).forEach(line -> ids.add(Long.parseLong(line)));
    return ids;
  }

  /** The children's temp directory, where the SQLite driver would otherwise copy its library. */
  Path temp() throws IOException {
    return Files.createDirectories(dir.resolve("tmp"));
  }

  /** The complete lines of {@code file}: the child may be writing the last one. */
  static List<String> lines(Path file) {
    try {
      String text = Files.readString(file);
      return text.substring(0, text.lastIndexOf('\n') + 1).lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Set<Long> storedIds(Path data) {
    Pool pool = Database.open(vertx, CommitStream.config(data.toString()), CommitStream.SERVICE).pool();
    try {
      Set<Long> ids = new HashSet<>();
      Await.result(pool.query("SELECT id FROM acked").execute()).forEach(row -> ids.add(row.getLong("id")));
      return ids;
    } finally {
      Await.result(pool.close());
    }
  }
}
