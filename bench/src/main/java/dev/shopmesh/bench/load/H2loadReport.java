package dev.shopmesh.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What h2load printed at the end of a run. h2load exits 0 whatever happened (refused connections,
 * 5xx, nothing sent at all), so {@link #problems()} is the only verdict. It cannot see gRPC's
 * status, which travels in trailers after an HTTP 200: a failed gRPC call counts as succeeded
 * here, which is why the harness also checks sample calls itself.
 *
 * @param requestsPerSecond over the main phase (warm-up excluded)
 * @param total requests h2load meant to send: {@code -n}, or those started in the main phase of a timed run
 * @param bytesTotal bytes h2load read from the server in the main phase, all framing included
 * @param bytesHeaders header bytes as received (after HPACK for HTTP/2); h2load counts them from
 *                     its start, so in a timed run they include the warm-up
 * @param bytesData body bytes (HTTP/2 DATA payloads); like bytesHeaders, warm-up included
 * @param requestTimeMeanMicros mean time from sending a request to the end of its response
 */
public record H2loadReport(
  double requestsPerSecond,
  long total, long started, long done, long succeeded, long failed, long errored, long timeout,
  long status2xx, long status3xx, long status4xx, long status5xx,
  long bytesTotal, long bytesHeaders, long bytesData,
  long requestTimeMinMicros, long requestTimeMaxMicros, long requestTimeMeanMicros) {

  private static final Pattern FINISHED = Pattern.compile("^finished in \\S+, ([\\d.]+) req/s", Pattern.MULTILINE);
  private static final Pattern REQUESTS = Pattern.compile(
    "^requests: (\\d+) total, (\\d+) started, (\\d+) done, (\\d+) succeeded, (\\d+) failed, (\\d+) errored, (\\d+) timeout",
    Pattern.MULTILINE);
  private static final Pattern STATUS = Pattern.compile(
    "^status codes: (\\d+) 2xx, (\\d+) 3xx, (\\d+) 4xx, (\\d+) 5xx", Pattern.MULTILINE);
  private static final Pattern TRAFFIC = Pattern.compile(
    "^traffic: \\S+ \\((\\d+)\\) total, \\S+ \\((\\d+)\\) headers \\(space savings [\\d.]+%\\), \\S+ \\((\\d+)\\) data",
    Pattern.MULTILINE);
  private static final Pattern REQUEST_TIME = Pattern.compile(
    "^time for request:\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)", Pattern.MULTILINE);
  private static final Pattern DURATION = Pattern.compile("([\\d.]+)(us|ms|s)");

  /** Parses h2load's standard output (progress lines and all); fails naming the line it could not find. */
  public static H2loadReport parse(String output) {
    Matcher finished = find(FINISHED, output, "finished in");
    Matcher requests = find(REQUESTS, output, "requests:");
    Matcher status = find(STATUS, output, "status codes:");
    Matcher traffic = find(TRAFFIC, output, "traffic:");
    Matcher time = find(REQUEST_TIME, output, "time for request:");
    return new H2loadReport(
      Double.parseDouble(finished.group(1)),
      number(requests, 1), number(requests, 2), number(requests, 3), number(requests, 4),
      number(requests, 5), number(requests, 6), number(requests, 7),
      number(status, 1), number(status, 2), number(status, 3), number(status, 4),
      number(traffic, 1), number(traffic, 2), number(traffic, 3),
      micros(time.group(1)), micros(time.group(2)), micros(time.group(3)));
  }

  /**
   * Requests that failed: reset or refused streams, requests abandoned on a broken or timed-out
   * connection, and answers of 4xx or 5xx (h2load's {@code failed} counts all of these), plus 3xx,
   * which h2load counts as succeeded. Not {@code total - 2xx}: in a timed run h2load counts the
   * status of a response whose headers came in the main phase even if it ended after it, so 2xx
   * may exceed total. A run in which no request completed counts one error at least, since h2load
   * then reports zero of everything (a timed run against a refused port).
   */
  public long errors() {
    long errors = failed + status3xx;
    return done == 0 ? Math.max(1, errors) : errors;
  }

  /** Readable reasons the run failed; empty when it did not. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (done == 0) {
      problems.add("no request completed (" + errored + " errored: is the server up?)");
    } else if (errors() > 0) {
      problems.add(String.format(Locale.ROOT, "%d of %d requests failed (%d errored, %d timeout; %d 3xx, %d 4xx, %d 5xx)",
        errors(), total, errored, timeout, status3xx, status4xx, status5xx));
    }
    return problems;
  }

  /** Bytes received per completed request, everything on the wire from the server included. */
  public double bytesPerCall() {
    return done == 0 ? 0 : (double) bytesTotal / done;
  }

  /** h2load's durations: {@code 141us}, {@code 1.34ms}, {@code 2.00s}. */
  static long micros(String text) {
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("not an h2load duration: '" + text + "'");
    }
    double value = Double.parseDouble(m.group(1));
    double factor = switch (m.group(2)) {
      case "us" -> 1;
      case "ms" -> 1_000;
      default -> 1_000_000;
    };
    return Math.round(value * factor);
  }

  private static Matcher find(Pattern pattern, String output, String what) {
    Matcher m = pattern.matcher(output);
    if (!m.find()) {
      throw new IllegalArgumentException("h2load printed no '" + what + "' line; its output was:\n" + output);
    }
    return m;
  }

  private static long number(Matcher m, int group) {
    return Long.parseLong(m.group(group));
  }
}
