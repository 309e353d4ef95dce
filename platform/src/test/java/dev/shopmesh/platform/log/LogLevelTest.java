package dev.shopmesh.platform.log;

import dev.shopmesh.platform.config.Config;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SHOPMESH_LOG_LEVEL as a user types it: "info" stopped the start with a bare stack trace. */
class LogLevelTest {

  @Test
  void aLevelIsReadInAnyCase() {
    assertThat(Logs.level("info")).isEqualTo(Level.INFO);
    assertThat(Logs.level("Fine")).isEqualTo(Level.FINE);
  }

  @Test
  void anUnknownLevelNamesTheSettingAndTheLevels() {
    assertThatThrownBy(() -> Logs.init(Config.of(Map.of("SHOPMESH_LOG_LEVEL", "verbose"))))
      .isInstanceOf(IllegalArgumentException.class)
      .hasMessage("SHOPMESH_LOG_LEVEL (--log-level) must be a java.util.logging level: SEVERE, WARNING, INFO, CONFIG, FINE,"
        + " FINER, FINEST, ALL or OFF, got 'verbose'");
  }
}
