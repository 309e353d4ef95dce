package dev.shopmesh.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Latency percentiles of one run, from h2load's {@code --log-file} (one row per completed request:
 * start time in µs since the epoch, HTTP status or -1 for a failed stream, µs until the end of the
 * response). h2load itself prints only min, max, mean and deviation.
 *
 * @param count rows in the log: requests that ended in the main phase of the run
 * @param notOk rows of failed streams (-1) or with a status of 300 or more. A status of 0 is a
 *              request whose headers came during the warm-up and which ended in the main phase:
 *              h2load records no status for it, and counts it as succeeded.
 */
public record Latencies(int count, long p50Micros, long p90Micros, long p99Micros, long maxMicros, int notOk) {

  public static final Latencies NONE = new Latencies(0, 0, 0, 0, 0, 0);

  public static Latencies read(Path log) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(log)) {
      return of(in);
    }
  }

  static Latencies of(BufferedReader rows) throws IOException {
    long[] micros = new long[1024];
    int count = 0;
    int notOk = 0;
    for (String row = rows.readLine(); row != null; row = rows.readLine()) {
      if (row.isBlank()) {
        continue;
      }
      String[] columns = row.split("\t");
      if (columns.length < 3) {
        throw new IllegalArgumentException("h2load log row without 3 columns: '" + row + "'");
      }
      int status = Integer.parseInt(columns[1].trim());
      if (status < 0 || status >= 300) {
        notOk++;
      }
      if (count == micros.length) {
        micros = Arrays.copyOf(micros, count * 2);
      }
      micros[count++] = Long.parseLong(columns[2].trim());
    }
    return of(micros, count, notOk);
  }

  /**
   * The percentiles of the first {@code count} values of {@code micros} (in any order; not changed),
   * for a load generator that keeps its own latencies (the order benchmark).
   */
  public static Latencies of(long[] micros, int count, int notOk) {
    if (count == 0) {
      return notOk == 0 ? NONE : new Latencies(0, 0, 0, 0, 0, notOk);
    }
    long[] sorted = Arrays.copyOf(micros, count);
    Arrays.sort(sorted);
    return new Latencies(count, percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99), sorted[count - 1], notOk);
  }

  /** Nearest rank: the smallest value with at least {@code p} % of the values at or below it. */
  public static long percentile(long[] sorted, double p) {
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
  }
}
