package dev.shopmesh.platform.log;

import dev.shopmesh.platform.trace.Trace;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * One JSON object per line, with the {@code timestamp} and {@code severity} fields that log tools
 * (Cloud Logging, Loki, Elastic) pick up without configuration, and, for a line logged while
 * serving a request, that request's {@code trace_id} and {@code span_id} ({@link Trace}), the names
 * OpenTelemetry's log model gives them.
 */
public final class JsonLogFormatter extends Formatter {

  /**
   * RFC 3339 in UTC, always with milliseconds: {@code Instant.toString()} leaves them out when they
   * are zero ({@code 12:00:13Z} beside {@code 12:00:13.950Z}), and a fixed-format parser trips on that.
   */
  private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  @Override
  public String format(LogRecord record) {
    StringBuilder out = new StringBuilder(256).append('{');
    field(out, "timestamp", TIMESTAMP.format(Instant.ofEpochMilli(record.getMillis()))).append(',');
    field(out, "severity", severity(record.getLevel())).append(',');
    field(out, "logger", record.getLoggerName()).append(',');
    field(out, "message", formatMessage(record));
    // Formatted on the thread that logged (ConsoleHandler is synchronous): the request it was serving, if any.
    Trace trace = Trace.current();
    if (trace != null) {
      out.append(',');
      field(out, "trace_id", trace.traceId()).append(',');
      field(out, "span_id", trace.spanId());
    }
    if (record.getThrown() != null) {
      StringWriter stack = new StringWriter();
      record.getThrown().printStackTrace(new PrintWriter(stack));
      out.append(',');
      field(out, "error", String.valueOf(record.getThrown()));
      out.append(',');
      field(out, "stack", stack.toString());
    }
    return out.append("}\n").toString();
  }

  static String severity(Level level) {
    int v = level.intValue();
    if (v >= Level.SEVERE.intValue()) {
      return "ERROR";
    } else if (v >= Level.WARNING.intValue()) {
      return "WARNING";
    } else if (v >= Level.INFO.intValue()) {
      return "INFO";
    }
    return "DEBUG";
  }

  private static StringBuilder field(StringBuilder out, String name, String value) {
    out.append('"').append(name).append("\":\"");
    String s = value == null ? "" : value;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"');
  }
}
