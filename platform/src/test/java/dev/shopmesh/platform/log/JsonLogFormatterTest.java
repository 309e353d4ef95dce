package dev.shopmesh.platform.log;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;

class JsonLogFormatterTest {

  @Test
  void eachEventIsOneLineOfJsonWithSeverityAndTimestamp() {
    LogRecord record = new LogRecord(Level.WARNING, "quote \" and\nnewline");
    record.setLoggerName("shopmesh.test");
    record.setThrown(new IllegalStateException("boom"));
    String line = new JsonLogFormatter().format(record);
    assertThat(line).endsWith("}\n");
    assertThat(line.strip()).doesNotContain("\n");
    JsonObject json = new JsonObject(line);
    assertThat(json.getString("severity")).isEqualTo("WARNING");
    assertThat(json.getString("timestamp")).isNotBlank();
    assertThat(json.getString("message")).isEqualTo("quote \" and\nnewline");
    assertThat(json.getString("error")).contains("boom");
  }

  /** Log tools and fixed-format parsers read one shape: milliseconds even when they are zero, in UTC. */
  @Test
  void theTimestampAlwaysHasItsMilliseconds() {
    LogRecord onTheSecond = new LogRecord(Level.INFO, "m");
    onTheSecond.setInstant(Instant.parse("2026-11-28T12:00:13Z"));
    assertThat(new JsonObject(new JsonLogFormatter().format(onTheSecond)).getString("timestamp")).isEqualTo("2026-11-28T12:00:13.000Z");
    LogRecord later = new LogRecord(Level.INFO, "m");
    later.setInstant(Instant.parse("2026-11-28T12:00:13.95Z"));
    assertThat(new JsonObject(new JsonLogFormatter().format(later)).getString("timestamp")).isEqualTo("2026-11-28T12:00:13.950Z");
  }
}
