package dev.shopmesh.platform.metrics;

/** Prometheus' text exposition format (0.0.4), as a scrape reads it. */
public final class Prometheus {

  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private Prometheus() {
  }

  /** The {@code # HELP} and {@code # TYPE} lines that open a metric family. */
  public static void head(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n')
      .append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  /** A label value as the format wants it: backslash, double quote and line feed escaped. */
  public static String label(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
