package dev.shopmesh.cli;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The ids of the orders the gateway acknowledged, one per line: written by {@code shopmesh order},
 * read by {@code shopmesh audit}. Each line is flushed as it is written, so the ids of a run that is
 * stopped half-way are there too.
 */
final class OrderIdsFile implements Closeable {

  static final String DEFAULT_NAME = "orders.acked";

  private final Path path;
  private final BufferedWriter writer;
  private IOException error;

  private OrderIdsFile(Path path, BufferedWriter writer) {
    this.path = path;
    this.writer = writer;
  }

  /** Creates the file, or empties it if it exists. */
  static OrderIdsFile create(Path path) throws IOException {
    return new OrderIdsFile(path, Files.newBufferedWriter(path, StandardCharsets.UTF_8));
  }

  /** The ids in the file, each once, in file order; blank lines are ignored. */
  static List<String> read(Path path) throws IOException {
    Set<String> ids = new LinkedHashSet<>();
    for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        ids.add(line.strip());
      }
    }
    return List.copyOf(ids);
  }

  Path path() {
    return path;
  }

  /** Appends an id; a write error is kept for {@link #error()} rather than thrown at the caller's thread. */
  synchronized void add(String orderId) {
    if (error != null) {
      return;
    }
    try {
      writer.write(orderId);
      writer.newLine();
      writer.flush();
    } catch (IOException e) {
      error = e;
    }
  }

  /** The first write error, if any. */
  synchronized IOException error() {
    return error;
  }

  @Override
  public synchronized void close() throws IOException {
    writer.close();
  }
}
