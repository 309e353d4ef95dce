package dev.shopmesh.platform.boot;

import dev.shopmesh.platform.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The registry a service's jar and ./shopmesh run find the others in when told none. */
class DataDirRegistryTest {

  /**
   * So that services started from one directory form one mesh, and one on the data directory of a
   * ./shopmesh up joins it; a registry the user names wins.
   */
  @Test
  void theServiceFindsTheOthersThroughTheDataDirectoryUnlessARegistryIsNamed() {
    assertThat(DataDirRegistry.byDefault(Map.of(), new String[] {"--grpc-port=7001"}))
      .containsExactly("--discovery=dir", "--grpc-port=7001");
    assertThat(Config.load(DataDirRegistry.byDefault(Map.of(), new String[] {"--discovery=redis://r:6379"})).get("DISCOVERY", ""))
      .isEqualTo("redis://r:6379");
    assertThat(DataDirRegistry.byDefault(Map.of("SHOPMESH_DISCOVERY", "redis://r:6379"), new String[] {"--grpc-port=7001"}))
      .containsExactly("--grpc-port=7001");
  }

  /** A service started from another working directory read another registry, and said so only in passing. */
  @Test
  void aServiceOnADataDirectoryWithNoLiveReplicaSaysItStartsAMeshOfItsOwn(@TempDir Path data) throws Exception {
    long now = System.currentTimeMillis();
    Config onData = Config.of(Map.of("SHOPMESH_DISCOVERY", "dir", "SHOPMESH_DATA_DIR", data.toString()));
    assertThat(DataDirRegistry.startsAMeshOfItsOwn(onData, now)).hasValueSatisfying(line -> assertThat(line)
      .startsWith("no replica is registered in " + data.resolve("registry") + ": this process starts a mesh of its own.")
      .contains("--data-dir").as("an up on Redis, which a run without its setting does not see").contains("SHOPMESH_DISCOVERY"));

    Path registry = Files.createDirectories(data.resolve("registry"));
    Path gone = Files.writeString(registry.resolve("gone.json"), "{}");
    Files.setLastModifiedTime(gone, FileTime.fromMillis(now - 60_000));
    assertThat(DataDirRegistry.startsAMeshOfItsOwn(onData, now)).as("a replica that stopped a minute ago").isPresent();

    Files.writeString(registry.resolve("live.json"), "{}");
    assertThat(DataDirRegistry.startsAMeshOfItsOwn(onData, now)).as("a replica renewing its lease").isEmpty();
    assertThat(DataDirRegistry.startsAMeshOfItsOwn(Config.of(Map.of("SHOPMESH_DISCOVERY", "redis://r:6379",
      "SHOPMESH_DATA_DIR", data.resolve("elsewhere").toString())), now)).as("another registry").isEmpty();
  }
}
