package dev.shopmesh.platform.testing;

import dev.shopmesh.platform.config.Config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Configuration for services started by tests: ephemeral ports on loopback, a fresh data directory,
 * and PostgreSQL when {@code SHOPMESH_DB_URL} is set in the environment (the CI's second pass).
 */
public final class TestConfig {

  private TestConfig() {
  }

  public static Config in(Path dataDir) {
    Map<String, String> values = new HashMap<>();
    values.put("SHOPMESH_DATA_DIR", dataDir.toString());
    values.put("SHOPMESH_GRPC_PORT", "0");
    values.put("SHOPMESH_HTTP_PORT", "0");
    values.put("SHOPMESH_LOG_LEVEL", "WARNING");
    String db = System.getenv("SHOPMESH_DB_URL");
    if (db != null && !db.isBlank()) {
      values.put("SHOPMESH_DB_URL", db);
    }
    return Config.of(values);
  }

  /** Whether tests run against PostgreSQL rather than the embedded store. */
  public static boolean postgres() {
    String db = System.getenv("SHOPMESH_DB_URL");
    return db != null && db.startsWith("postgres");
  }
}
