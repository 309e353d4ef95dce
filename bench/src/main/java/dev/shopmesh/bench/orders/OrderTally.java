package dev.shopmesh.bench.orders;

import dev.shopmesh.bench.load.Latencies;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the orders of one run came to: every answered call's latency (from its scheduled send
 * time), and the outcomes counted by kind, with the distinct problems. Not thread-safe: the load
 * generator uses it from its one event loop.
 */
public final class OrderTally {

  /** Distinct problems kept by name; any further ones are counted together. */
  static final int DISTINCT_PROBLEMS = 10;
  static final String OTHER = "(other problems)";

  private final long lateMicros;
  private long[] micros;
  private int answered;
  private int answeredNotConfirmed;
  private long confirmed;
  private long overload;
  private long wrong;
  private long late;
  private long abandoned;
  private final Map<String, Long> problems = new TreeMap<>();

  /** @param expected how many orders the run schedules (room is made for more if needed) */
  public OrderTally(int expected) {
    this(expected, Long.MAX_VALUE);
  }

  /** @param lateMicros an answer this late or later counts towards {@link #hopeless} */
  public OrderTally(int expected, long lateMicros) {
    micros = new long[Math.max(16, expected)];
    this.lateMicros = lateMicros;
  }

  /** A call that was answered (or failed) {@code latencyMicros} after its scheduled send time. */
  public void answered(long latencyMicros, Outcome outcome) {
    if (answered == micros.length) {
      micros = Arrays.copyOf(micros, answered * 2);
    }
    micros[answered++] = latencyMicros;
    if (outcome.kind() != Outcome.Kind.CONFIRMED) {
      answeredNotConfirmed++;
    }
    if (latencyMicros >= lateMicros) {
      late++;
    }
    count(outcome);
  }

  /** Orders of the schedule never sent because the run was stopped early ({@link #hopeless}): not errors. */
  public void abandoned(long count) {
    abandoned += count;
  }

  /**
   * Whether a run of {@code scheduled} orders can no longer be sustainable, whatever its remaining
   * orders do: an error, or more than 1 % of its orders answered late, which puts its p99 (nearest
   * rank) at or past the late mark.
   */
  public boolean hopeless(int scheduled) {
    return errors() > 0 || late > scheduled / 100;
  }

  /**
   * A call counted without a latency: one never sent, never answered, or answered in a run's
   * lead-in (where only its outcome counts).
   */
  public void untimed(Outcome outcome) {
    count(outcome);
  }

  private void count(Outcome outcome) {
    switch (outcome.kind()) {
      case CONFIRMED -> confirmed++;
      case OVERLOAD -> overload++;
      case WRONG -> wrong++;
    }
    if (outcome.problem() != null) {
      String key = problems.containsKey(outcome.problem()) || problems.size() < DISTINCT_PROBLEMS ? outcome.problem() : OTHER;
      problems.merge(key, 1L, Long::sum);
    }
  }

  /** Percentiles over every answered call, confirmed or not; {@code notOk} counts those not confirmed. */
  public Latencies latencies() {
    return Latencies.of(micros, answered, answeredNotConfirmed);
  }

  public long confirmed() {
    return confirmed;
  }

  public long overload() {
    return overload;
  }

  public long wrong() {
    return wrong;
  }

  public long abandoned() {
    return abandoned;
  }

  /** Every call that did not end in a confirmed order (abandoned ones are not calls). */
  public long errors() {
    return overload + wrong;
  }

  /** Each distinct problem and how many calls had it. */
  public Map<String, Long> problems() {
    return Map.copyOf(problems);
  }
}
