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

  private long[] micros;
  private int answered;
  private int answeredNotConfirmed;
  private long confirmed;
  private long overload;
  private long wrong;
  private final Map<String, Long> problems = new TreeMap<>();

  /** @param expected how many orders the run schedules (room is made for more if needed) */
  public OrderTally(int expected) {
    micros = new long[Math.max(16, expected)];
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
    count(outcome);
  }

  /** A call that was never sent: no latency. */
  public void notSent(Outcome outcome) {
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

  /** Every call that did not end in a confirmed order. */
  public long errors() {
    return overload + wrong;
  }

  /** Each distinct problem and how many calls had it. */
  public Map<String, Long> problems() {
    return Map.copyOf(problems);
  }
}
