package dev.shopmesh.bench.serve;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ports a started server listens on, all on 127.0.0.1; {@code http} is 0 when it has no HTTP/JSON
 * port. Travels from the server process to the harness as one line on stdout.
 */
public record Ports(int grpc, int http) {

  private static final Pattern LINE = Pattern.compile("READY grpc=(\\d+) http=(\\d+)");

  /** The line a server process prints once it answers calls. */
  public String readyLine() {
    return "READY grpc=" + grpc + " http=" + http;
  }

  /** The ports of a {@link #readyLine()}, or null for any other line (a server may print others). */
  public static Ports parse(String line) {
    Matcher m = LINE.matcher(line.trim());
    return m.matches() ? new Ports(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))) : null;
  }
}
