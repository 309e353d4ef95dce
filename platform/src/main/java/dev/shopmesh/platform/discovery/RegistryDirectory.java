package dev.shopmesh.platform.discovery;

import dev.shopmesh.platform.log.Logs;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.PromiseInternal;
import io.vertx.core.internal.VertxInternal;
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
import java.util.logging.Logger;

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
 * <p>
 * A heartbeat that changes nothing but the lease (an idle replica's) sets the file's modification
 * time instead of writing it: replacing a file costs about a millisecond of writeback on ext4, every
 * heartbeat of every replica, and readers take a file's time as its lease when it is the later one.
 * The file is still written whole every {@link #REWRITTEN_WITHIN}, and a time further than
 * {@link #TIME_TRUSTED} past its JSON's lease is not taken: a data directory copied without its
 * files' times does not bring its dead replicas back.
 */
public final class RegistryDirectory implements ServiceDiscoveryBackend {

  /** The backend configuration's key for the directory. */
  static final String DIRECTORY = "directory";
  private static final String SUFFIX = ".json";
  private static final String TEMPORARY = ".tmp";
  /** A temporary file older than this was left by a process that died while writing it. */
  private static final Duration ABANDONED = Duration.ofMinutes(1);
  /** How long a file's JSON may hold an older lease than its time. */
  static final long REWRITTEN_WITHIN = Duration.ofSeconds(30).toMillis();
  /** How far past its JSON's lease a file's time is taken as a renewal. */
  static final long TIME_TRUSTED = 2 * REWRITTEN_WITHIN;

  private static final Worker IO = new Worker();
  private static final Logger LOG = Logs.logger("discovery");
  /** The directories whose path this JVM has logged. */
  private static final Set<Path> ANNOUNCED = ConcurrentHashMap.newKeySet();
  /** The read of each directory that is waiting to start, if any. */
  private static final Map<Path, Future<Map<String, Stored>>> WAITING = new ConcurrentHashMap<>();
  /**
   * What this JVM last wrote to each file, as only a registration's own replica writes its file: a
   * read takes it from here rather than from the disk (up's replicas are all this JVM's). Touched
   * on the registry's thread only.
   */
  private static final Map<Path, Written> WRITTEN = new HashMap<>();

  private Vertx vertx;
  private Path dir;

  @Override
  public void init(Vertx vertx, JsonObject config) {
    this.vertx = vertx;
    dir = Path.of(Objects.requireNonNull(config.getString(DIRECTORY), "the registry's directory")).toAbsolutePath().normalize();
    if (ANNOUNCED.add(dir)) {
      // Said once: a ./shopmesh run from another working directory, without --data-dir, reads
      // another registry and so starts a mesh of its own.
      LOG.info("registry: " + dir + ", shared with the processes on this machine that use it");
    }
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

  /**
   * Removes whatever the file holds by then: a reader reaps a lease that ran out three times over,
   * and should its replica renew it meanwhile, the next heartbeat writes it again.
   */
  @Override
  public void remove(String uuid, Handler<AsyncResult<Record>> resultHandler) {
    run(() -> {
      Path file = file(uuid);
      Stored stored = readIfThere(file);
      WRITTEN.remove(file);
      if (stored == null || !Files.deleteIfExists(file)) {
        throw new IllegalStateException("Record '" + uuid + "' not found");
      }
      return stored;
    }).map(stored -> record(uuid, stored)).onComplete(resultHandler);
  }

  @Override
  public void getRecord(String uuid, Handler<AsyncResult<Record>> resultHandler) {
    run(() -> readIfThere(file(uuid))).map(stored -> stored == null ? null : record(uuid, stored)).onComplete(resultHandler);
  }

  @Override
  public void getRecords(Handler<AsyncResult<List<Record>>> resultHandler) {
    Future<Map<String, Stored>> shared = WAITING.computeIfAbsent(dir, d -> IO.submit(() -> {
      WAITING.remove(d);
      return scan(d);
    }));
    onCallersContext(shared).map(RegistryDirectory::parsed).onComplete(resultHandler);
  }

  /** The registrations a read found, each named by its file (a copied file is a registration of its own, reaped as one). */
  private static List<Record> parsed(Map<String, Stored> storedById) {
    List<Record> records = new ArrayList<>(storedById.size());
    storedById.forEach((id, stored) -> {
      try {
        records.add(record(id, stored));
      } catch (RuntimeException e) {
        // Not written by a registry (each file is renamed into place whole): not a replica, and
        // no reason to fail the read of every other one.
      }
    });
    return records;
  }

  private static Record record(String id, Stored stored) {
    Record record = new Record(new JsonObject(stored.json())).setRegistration(id);
    JsonObject metadata = record.getMetadata();
    long lastSeen = metadata.getLong(Discovery.LAST_SEEN, 0L);
    if (stored.modified() > lastSeen && stored.modified() - lastSeen <= TIME_TRUSTED) {
      metadata.put(Discovery.LAST_SEEN, stored.modified());
    }
    return record;
  }

  /** Every registration by its id; a file that cannot be read is left out, as above. */
  private static Map<String, Stored> scan(Path dir) throws IOException {
    Map<String, Stored> found = new HashMap<>();
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
          try {
            Written written = WRITTEN.get(file);
            Stored stored = written != null ? new Stored(written.json(), 0) : readIfThere(file);
            if (stored != null) {
              found.put(name.substring(0, name.length() - SUFFIX.length()), stored);
            }
          } catch (IOException e) {
            // A directory named like a record, a file not in UTF-8, one this user may not read.
          }
        } else if (name.endsWith(TEMPORARY) && lastModified(file).toInstant().isBefore(abandoned)) {
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
    JsonObject whole = record.toJson();
    long lastSeen = record.getMetadata().getLong(Discovery.LAST_SEEN, 0L);
    String json = whole.encode();
    String leaseAside = whole.put("metadata", record.getMetadata().copy().put(Discovery.LAST_SEEN, 0)).encode();
    String id = record.getRegistration();
    return run(() -> {
      Path file = file(id);
      Written before = WRITTEN.get(file);
      if (before != null && before.leaseAside().equals(leaseAside) && lastSeen - before.leaseOnDisk() < REWRITTEN_WITHIN
        && touched(file, lastSeen)) {
        WRITTEN.put(file, new Written(json, leaseAside, before.leaseOnDisk()));
        return null;
      }
      // Only this replica writes its file, one write at a time: its temporary file needs no unique name.
      Path temporary = dir.resolve(id + TEMPORARY);
      try {
        try {
          Files.writeString(temporary, json);
        } catch (NoSuchFileException e) {
          Files.createDirectories(dir);
          Files.writeString(temporary, json);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        WRITTEN.remove(file);
        Files.deleteIfExists(temporary);
        throw e;
      }
      WRITTEN.put(file, new Written(json, leaseAside, lastSeen));
      return null;
    });
  }

  /** A registration's file; an id naming anything outside the directory is refused. */
  private Path file(String id) {
    Path file = dir.resolve(id + SUFFIX).normalize();
    if (!dir.equals(file.getParent())) {
      throw new IllegalArgumentException("not a registration id: '" + id + "'");
    }
    return file;
  }

  /**
   * Renews the lease in the file's time; false when that failed, the file gone (reaped by another
   * process's reader) or its time not to be set here: the caller writes the file instead.
   */
  private static boolean touched(Path file, long lastSeen) {
    try {
      Files.setLastModifiedTime(file, FileTime.fromMillis(lastSeen));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The file's text and time, or null when it is gone (removed by another reader since the directory was listed). */
  private static Stored readIfThere(Path file) throws IOException {
    try {
      String json = Files.readString(file);
      return new Stored(json, Files.getLastModifiedTime(file).toMillis());
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** A registration as a file holds it: its JSON, and the file's time, a lease renewed later than the JSON says (0: none). */
  private record Stored(String json, long modified) {
  }

  /**
   * What this JVM last wrote to a file: the JSON as of its last heartbeat, the same with the lease
   * set aside (which only a heartbeat changes), and the lease the JSON on the disk holds.
   */
  private record Written(String json, String leaseAside, long leaseOnDisk) {
  }

  private static FileTime lastModified(Path file) throws IOException {
    try {
      return Files.getLastModifiedTime(file);
    } catch (NoSuchFileException e) {
      return FileTime.from(Instant.now());
    }
  }

  /** {@code work} on the registry's thread, after whatever was asked for before it; answered on the caller's context. */
  private <T> Future<T> run(Callable<T> work) {
    return onCallersContext(IO.submit(work));
  }

  /**
   * {@code io}'s outcome on the context of the thread calling this, as the other backends answer:
   * what the caller chains on it (discovery's announcements, the parsing of the records) runs there,
   * not on the registry's one thread, and its exceptions are the caller's.
   */
  private <T> Future<T> onCallersContext(Future<T> io) {
    PromiseInternal<T> answer = ((VertxInternal) vertx).getOrCreateContext().promise();
    io.onComplete(answer::tryComplete, answer::tryFail);
    return answer.future();
  }

  /** One thread running the registry's file work in order, answering with futures. */
  private static final class Worker {
    private final ExecutorService thread = Executors.newSingleThreadExecutor(task -> {
      Thread t = new Thread(task, "shopmesh-registry-directory");
      t.setDaemon(true);
      return t;
    });

    <T> Future<T> submit(Callable<T> work) {
      Promise<T> done = Promise.promise();
      thread.execute(() -> {
        T value;
        try {
          value = work.call();
        } catch (Exception e) {
          done.fail(e);
          return;
        }
        done.complete(value);
      });
      return done.future();
    }
  }
}
