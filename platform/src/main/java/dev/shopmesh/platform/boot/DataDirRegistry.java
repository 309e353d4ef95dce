package dev.shopmesh.platform.boot;

import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.discovery.Discovery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The registry a service started on its own (its jar, {@code ./shopmesh run}) finds the others in
 * unless told another: the data directory's ({@code SHOPMESH_DISCOVERY=dir}), as {@code ./shopmesh up}'s,
 * so that services started from one directory form one mesh, and a service started on the data
 * directory of an {@code up} joins it. With the in-process registry, four jars started side by side
 * each answered "no replica of catalog-service is registered", and said nothing of why.
 */
final class DataDirRegistry {

  /** Every live registration's file is renewed with each heartbeat (a second): one untouched this long is no replica. */
  private static final Duration SILENT = Duration.ofSeconds(10);

  private DataDirRegistry() {
  }

  /** {@code args} with the data directory's registry first, when the environment names none: a {@code --discovery} among them comes later and wins. */
  static String[] byDefault(Map<String, String> environment, String[] args) {
    String set = environment.get("SHOPMESH_DISCOVERY");
    if (set != null && !set.isBlank()) {
      return args;
    }
    String[] all = new String[args.length + 1];
    all[0] = "--discovery=" + Discovery.IN_DATA_DIR;
    System.arraycopy(args, 0, all, 1, args.length);
    return all;
  }

  /**
   * What to tell the user when the data directory's registry holds no live replica: a service
   * started from another working directory, without --data-dir, reads another registry and quietly
   * starts a mesh of its own, beside the ./shopmesh up it was meant to join.
   */
  static Optional<String> startsAMeshOfItsOwn(Config config, long nowMillis) {
    if (!config.get("DISCOVERY", "local").equals(Discovery.IN_DATA_DIR)) {
      return Optional.empty();
    }
    Path registry = Discovery.registryIn(config.dataDir()).toAbsolutePath().normalize();
    try (Stream<Path> files = Files.list(registry)) {
      if (files.filter(file -> file.getFileName().toString().endsWith(".json"))
        .anyMatch(file -> file.toFile().lastModified() >= nowMillis - SILENT.toMillis())) {
        return Optional.empty();
      }
    } catch (IOException e) {
      // No registry there yet: nothing runs on this data directory.
    }
    return Optional.of("no replica is registered in " + registry + ": this process starts a mesh of its own."
      + " To add it to a running ./shopmesh up, give it that up's data directory (--data-dir=…, as up printed),"
      + " or its SHOPMESH_DISCOVERY if that up's registry is Redis.");
  }
}
