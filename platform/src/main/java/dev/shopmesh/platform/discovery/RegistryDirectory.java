package dev.shopmesh.platform.discovery;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.servicediscovery.Record;
import io.vertx.servicediscovery.spi.ServiceDiscoveryBackend;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A registry kept as files in one directory ({@code SHOPMESH_DISCOVERY=dir}: {@code registry/} in
 * the data directory), one JSON file per registration, so that every process on this machine that
 * uses the directory finds the others' replicas with no server to run: a {@code ./shopmesh run
 * catalog-service} joins the mesh a {@code ./shopmesh up} runs. A record is written to a temporary
 * file and renamed over its own, so a reader never sees half of one.
 * <p>
 * The file work runs on one thread per JVM, in the order it was asked for: a replica's heartbeat
 * written after its withdrawal would put it back in the mesh. Reads asked for while one waits to
 * start share it: one heartbeat announced in a process makes every caller there re-read the
 * registry at once, and each reading every file would grow with the cube of the replicas.
 */
public final class RegistryDirectory implements ServiceDiscoveryBackend {

  /** The backend configuration's key for the directory. */
  static final String DIRECTORY = "directory";
  private static final String SUFFIX = ".json";
  /** A temporary file older than this was left by a process that died while writing it. */
  private static final Duration ABANDONED = Duration.ofMinutes(1);

  private static final ExecutorService IO = Executors.newSingleThreadExecutor(task -> {
    Thread thread = new Thread(task, "shopmesh-registry-directory");
    thread.setDaemon(true);
    return thread;
  });
  /** The read of each directory that is waiting to start, if any. */
  private static final Map<Path, Future<Map<String, String>>> WAITING = new ConcurrentHashMap<>();
  /**
   * What this JVM last wrote to each file, as only a registration's own replica writes its file: a
   * read takes it from here rather than from the disk (up's replicas are all this JVM's). Touched
   * on the registry's thread only.
   */
  private static final Map<Path, String> WRITTEN = new HashMap<>();

  private Path dir;

  @Override
  public void init(Vertx vertx, JsonObject config) {
    dir = Path.of(Objects.requireNonNull(config.getString(DIRECTORY), "the registry's directory")).toAbsolutePath().normalize();
  }

  @Override
  public void store(Record record, Handler<AsyncResult<Record>> resultHandler) {
    if (record.getRegistration() != null) {
      throw new IllegalArgumentException("The record has already been registered");
    }
    record.setRegistration(UUID.randomUUID().toString());
    write(record).map(record).onComplete(resultHandler);
  }

  @Override
  public void update(Record record, Handler<AsyncResult<Void>> resultHandler) {
    Objects.requireNonNull(record.getRegistration(), "No registration id in the record");
    write(record).onComplete(resultHandler);
  }

  @Override
  public void remove(Record record, Handler<AsyncResult<Record>> resultHandler) {
    remove(Objects.requireNonNull(record.getRegistration(), "No registration id in the record"), resultHandler);
  }

  @Override
  public void remove(String uuid, Handler<AsyncResult<Record>> resultHandler) {
    Path file = file(uuid);
    run(() -> {
      String json = readIfThere(file);
      WRITTEN.remove(file);
      if (json == null || !Files.deleteIfExists(file)) {
        throw new IllegalStateException("Record '" + uuid + "' not found");
      }
      return new Record(new JsonObject(json));
    }).onComplete(resultHandler);
  }

  @Override
  public void getRecord(String uuid, Handler<AsyncResult<Record>> resultHandler) {
    run(() -> {
      String json = readIfThere(file(uuid));
      return json == null ? null : new Record(new JsonObject(json));
    }).onComplete(resultHandler);
  }

  @Override
  public void getRecords(Handler<AsyncResult<List<Record>>> resultHandler) {
    read().map(RegistryDirectory::parsed).onComplete(resultHandler);
  }

  /** Every registration's JSON by its file's name; one read for all who ask before it starts. */
  private Future<Map<String, String>> read() {
    return WAITING.computeIfAbsent(dir, d -> run(() -> {
      WAITING.remove(d);
      return scan(d);
    }));
  }

  private static List<Record> parsed(Map<String, String> jsonByFile) {
    List<Record> records = new ArrayList<>(jsonByFile.size());
    jsonByFile.values().forEach(json -> {
      try {
        records.add(new Record(new JsonObject(json)));
      } catch (DecodeException e) {
        // Not written by a registry (each file is renamed into place whole): not a replica.
      }
    });
    return records;
  }

  private static Map<String, String> scan(Path dir) throws IOException {
    Map<String, String> found = new HashMap<>();
    if (!Files.isDirectory(dir)) {
      return found;
    }
    Instant abandoned = Instant.now().minus(ABANDONED);
    Set<Path> listed = new HashSet<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (name.endsWith(SUFFIX)) {
          listed.add(file);
          String json = WRITTEN.containsKey(file) ? WRITTEN.get(file) : readIfThere(file);
          if (json != null) {
            found.put(name, json);
          }
        } else if (name.endsWith(".tmp") && lastModified(file).toInstant().isBefore(abandoned)) {
          Files.deleteIfExists(file);
        }
      }
    }
    // Removed by another process's reader (a lease that ran out three times over).
    WRITTEN.keySet().removeIf(file -> file.getParent().equals(dir) && !listed.contains(file));
    return found;
  }

  private Future<Void> write(Record record) {
    // Encoded now: the caller goes on changing its record (the next heartbeat's figures).
    String json = record.toJson().encode();
    Path file = file(record.getRegistration());
    return run(() -> {
      // Only this replica writes its file, one write at a time: its temporary file needs no unique name.
      Path temporary = dir.resolve(record.getRegistration() + ".tmp");
      try {
        try {
          Files.writeString(temporary, json);
        } catch (NoSuchFileException e) {
          Files.createDirectories(dir);
          Files.writeString(temporary, json);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        WRITTEN.put(file, json);
      } finally {
        Files.deleteIfExists(temporary);
      }
      return null;
    });
  }

  private Path file(String uuid) {
    return dir.resolve(uuid + SUFFIX);
  }

  /** The file's text, or null when it is gone (removed by another reader since the directory was listed). */
  private static String readIfThere(Path file) throws IOException {
    try {
      return Files.readString(file);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private static FileTime lastModified(Path file) throws IOException {
    try {
      return Files.getLastModifiedTime(file);
    } catch (NoSuchFileException e) {
      return FileTime.from(Instant.now());
    }
  }

  /** {@code work} on the registry's thread, after whatever was asked for before it. */
  private static <T> Future<T> run(Callable<T> work) {
    Promise<T> promise = Promise.promise();
    IO.execute(() -> {
      try {
        promise.complete(work.call());
      } catch (Exception e) {
        promise.fail(e);
      }
    });
    return promise.future();
  }
}
