package dev.shopmesh.platform.config;

import dev.shopmesh.platform.rpc.RpcSettings;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigTest {

  @Test
  void flagsBecomeKeysInBothSpellings() {
    assertThat(Config.parseFlags(new String[] {"--grpc-port=9000", "--data-dir", "/tmp/x"}))
      .containsEntry("SHOPMESH_GRPC_PORT", "9000")
      .containsEntry("SHOPMESH_DATA_DIR", "/tmp/x");
  }

  @Test
  void aStrayArgumentOrAFlagWithoutValueIsAnErrorNamingIt() {
    assertThatThrownBy(() -> Config.parseFlags(new String[] {"oops"})).hasMessageContaining("'oops'");
    assertThatThrownBy(() -> Config.parseFlags(new String[] {"--grpc-port"})).hasMessageContaining("--grpc-port needs a value (--help lists the settings)");
  }

  @Test
  void defaultsApplyToMissingOrBlankValuesAndNumbersAreChecked() {
    Config config = Config.of(Map.of("SHOPMESH_GRPC_PORT", " ", "SHOPMESH_RPC_DEADLINE_MS", "abc"));
    assertThat(config.getInt("GRPC_PORT", 7)).isEqualTo(7);
    assertThat(config.with("GRPC_PORT", "8").getInt("GRPC_PORT", 7)).isEqualTo(8);
    assertThatThrownBy(() -> config.getLong("RPC_DEADLINE_MS", 1))
      .hasMessageContaining("SHOPMESH_RPC_DEADLINE_MS (--rpc-deadline-ms) must be a whole number");
    assertThatThrownBy(() -> config.with("GRPC_PORT", "4294967296").getInt("GRPC_PORT", 7))
      .as("not silently port 0").hasMessage("SHOPMESH_GRPC_PORT (--grpc-port) is out of range, got 4294967296");
    assertThatThrownBy(() -> config.with("HTTP_PORT", "70000").getPort("HTTP_PORT", 8080))
      .hasMessage("SHOPMESH_HTTP_PORT (--http-port) must be a port, 0 to 65535 (0: any free one), got 70000");
  }

  /** A 0 deadline started a service whose every call failed while it reported itself healthy. */
  @Test
  void aNegativeNumberOrAZeroThatSwitchesSomethingOffStopsTheServiceNamingTheSetting() {
    Config config = Config.of(Map.of("SHOPMESH_RPC_DEADLINE_MS", "0", "SHOPMESH_SHUTDOWN_GRACE_MS", "-5"));
    assertThatThrownBy(() -> config.getLong("RPC_DEADLINE_MS", 5_000, 1))
      .hasMessage("SHOPMESH_RPC_DEADLINE_MS (--rpc-deadline-ms) must be at least 1, got 0");
    assertThatThrownBy(() -> config.getLong("SHUTDOWN_GRACE_MS", 5_000))
      .hasMessage("SHOPMESH_SHUTDOWN_GRACE_MS (--shutdown-grace-ms) must be at least 0, got -5");
    assertThatThrownBy(() -> config.with("EVENT_LOOPS", "0").getInt("EVENT_LOOPS", 2, 1))
      .hasMessage("SHOPMESH_EVENT_LOOPS (--event-loops) must be at least 1, got 0");
    assertThatThrownBy(() -> RpcSettings.from(config)).hasMessageContaining("SHOPMESH_RPC_DEADLINE_MS");
  }

  /** Past an int, Vert.x failed at start without naming the setting ("Timeout value must be >= 0"), or took another value. */
  @Test
  void aDeadlineOrAStreamLimitTooLargeForVertxStopsTheServiceNamingTheSetting() {
    assertThatThrownBy(() -> RpcSettings.from(Config.of(Map.of("SHOPMESH_RPC_DEADLINE_MS", "3000000000"))))
      .hasMessage("SHOPMESH_RPC_DEADLINE_MS (--rpc-deadline-ms) is out of range, got 3000000000");
    assertThatThrownBy(() -> RpcSettings.from(Config.of(Map.of("SHOPMESH_MAX_CONCURRENT_STREAMS", "5000000000"))))
      .hasMessage("SHOPMESH_MAX_CONCURRENT_STREAMS (--max-concurrent-streams) is out of range, got 5000000000");
  }

  @Test
  void aFlagOverridesTheEnvironmentAndOnlyShopmeshVariablesAreRead() {
    Config config = Config.load(Map.of("SHOPMESH_GRPC_PORT", "1", "SHOPMESH_HOST", "0.0.0.0", "GRPC_PORT", "3"),
      new String[] {"--grpc-port=2"});
    assertThat(config.getInt("GRPC_PORT", 0)).isEqualTo(2);
    assertThat(config.get("HOST", "127.0.0.1")).isEqualTo("0.0.0.0");
    assertThat(Config.load(Map.of("GRPC_PORT", "3"), new String[0]).getInt("GRPC_PORT", 0)).isZero();
  }

  @Test
  void flagsNothingReadAreReportedAsTheUserTypedThem() {
    Config config = Config.load(Map.of("SHOPMESH_UNUSED_VARIABLE", "x"), new String[] {"--grpc-prot=7001", "--grpc-port=7002"});
    assertThat(config.with("HOST", "0.0.0.0").getInt("GRPC_PORT", 0)).as("read through a copy").isEqualTo(7002);
    assertThat(config.unreadFlags()).containsExactly("--grpc-prot");
    assertThat(config.withGuess("--grpc-prot")).isEqualTo("--grpc-prot (did you mean --grpc-port?)");
    assertThat(config.withGuess("--colour")).as("nothing read is near it").isEqualTo("--colour");
    assertThat(config.withGuess("--tls")).as("three letters off --host: another word").isEqualTo("--tls");
  }

  @Test
  void variablesNothingReadAreReportedButThoseOfOtherTools() {
    Config config = Config.load(Map.of("SHOPMESH_RPC_DEADLNE_MS", "10", "SHOPMESH_RPC_DEADLINE_MS", "10",
      "SHOPMESH_JRE_IMAGE", "jre"), new String[0]);
    Config withDataDir = config.with("DATA_DIR", "d");
    assertThat(withDataDir.getInt("RPC_DEADLINE_MS", 0)).isEqualTo(10);
    assertThat(withDataDir.unreadVariables(Set.of("SHOPMESH_JRE_IMAGE"))).as("a copy's own keys are no variables")
      .containsExactly("SHOPMESH_RPC_DEADLNE_MS");
    assertThat(withDataDir.withGuess("SHOPMESH_RPC_DEADLNE_MS")).isEqualTo("SHOPMESH_RPC_DEADLNE_MS (did you mean SHOPMESH_RPC_DEADLINE_MS?)");
  }

  /** A service alone tells a typo of its own settings, not another service's setting (docker compose gives each its own). */
  @Test
  void aVariableNearASettingReadIsATypoAndAnotherServicesSettingIsNot() {
    Config config = Config.load(Map.of("SHOPMESH_RPC_DEADLNE_MS", "10", "SHOPMESH_CATALOG_PAGE_CACHE_MS", "0"), new String[0]);
    config.getInt("RPC_DEADLINE_MS", 0);
    assertThat(config.misspeltVariables()).containsExactly("SHOPMESH_RPC_DEADLNE_MS");
    assertThat(config.unreadVariables(Set.of())).containsExactly("SHOPMESH_CATALOG_PAGE_CACHE_MS", "SHOPMESH_RPC_DEADLNE_MS");
  }
}
