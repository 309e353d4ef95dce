package dev.shopmesh.bench.load;

import java.util.List;

/**
 * How long one h2load run lasts: a timed main phase after a warm-up (measurements), or a fixed
 * number of requests (the quick smoke run, where only correctness matters).
 */
public record RunLength(int seconds, int warmUpSeconds, int requests) {

  public static RunLength timed(int seconds, int warmUpSeconds) {
    return new RunLength(seconds, warmUpSeconds, 0);
  }

  public static RunLength requests(int requests) {
    return new RunLength(0, 0, requests);
  }

  public boolean timed() {
    return seconds > 0;
  }

  /** h2load's flags for this length; a request count is raised to the connection count h2load needs. */
  List<String> flags(int clients) {
    return timed()
      ? List.of("-D", String.valueOf(seconds), "--warm-up-time", String.valueOf(warmUpSeconds))
      : List.of("-n", String.valueOf(Math.max(requests, clients)));
  }

  /** The longest a healthy run can take: h2load is stopped past this. */
  long limitMillis() {
    return timed() ? (seconds + warmUpSeconds + 30L) * 1_000 : 120_000;
  }

  @Override
  public String toString() {
    if (!timed()) {
      return requests + " requests";
    }
    return warmUpSeconds > 0 ? seconds + " s (after " + warmUpSeconds + " s warm-up)" : seconds + " s";
  }
}
