package dev.shopmesh.platform.db;

import dev.shopmesh.platform.log.Logs;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.logging.Logger;

/**
 * Where the SQLite driver loads its native library from: one copy in the data directory, shared by
 * every process that uses that directory, rather than the driver's own copy per process. The driver
 * copies its library to a new file in the temp directory at each start and deletes it when the JVM
 * exits, but not after {@code kill -9}, and then never: it takes the lock file left beside the copy
 * for a running JVM's. The crash tests of the CI script left 28 copies (31 MB) in {@code /tmp} per
 * run, and a developer's {@code /tmp} is often memory.
 */
final class SqliteLibrary {

  private static final Logger LOG = Logs.logger("db");
  private static final String PATH = "org.sqlite.lib.path";
  private static final String NAME = "org.sqlite.lib.name";

  private SqliteLibrary() {
  }

  /**
   * Points the driver at the copy under {@code dataDir}, made first if missing. Takes effect if the
   * driver has not loaded its library in this JVM yet, and leaves a path the user set alone. If the
   * copy cannot be made, the driver does as it would have.
   */
  static synchronized void shareFrom(Path dataDir) {
    if (System.getProperty(PATH) != null) {
      return;
    }
    String name = LibraryLoaderUtil.getNativeLibName();
    Path dir = dataDir.toAbsolutePath().resolve(".native").resolve("sqlite-" + SQLiteJDBCLoader.getVersion());
    try {
      copyOnce(LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name, dir.resolve(name));
      System.setProperty(PATH, dir.toString());
      System.setProperty(NAME, name);
    } catch (IOException | RuntimeException e) {
      LOG.warning("SQLite loads its native library from the temp directory: cannot copy it to " + dir + ": " + e);
    }
  }

  /** Copies the resource to {@code target} unless it is there: whole or not at all, whoever else copies at once. */
  private static void copyOnce(String resource, Path target) throws IOException {
    if (Files.exists(target)) {
      return;
    }
    Files.createDirectories(target.getParent());
    Path part = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
    try (InputStream library = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
      if (library == null) {
        throw new IOException("the driver has no " + resource);
      }
      Files.copy(library, part, StandardCopyOption.REPLACE_EXISTING);
      Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException raced) {
      // Another process copied it first.
    } finally {
      Files.deleteIfExists(part);
    }
  }
}
