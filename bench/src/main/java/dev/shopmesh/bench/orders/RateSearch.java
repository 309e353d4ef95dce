package dev.shopmesh.bench.orders;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Finds the highest sustainable rate: up the ramp of rates until the first step that is not
 * sustainable, then halves the gap between the last good rate and that one a few times. The answer
 * is the highest rate that was sustainable; every rate tried above it was not (a rate between is
 * tried only while it lies between the two). When every rate of the ramp was sustainable the
 * answer is the top of the ramp, a floor rather than the limit ({@link #ceilingReached()}).
 */
public final class RateSearch {

  private final List<Integer> ramp;
  private final int refinements;
  private final int resolution;
  private final List<int[]> tried = new ArrayList<>();
  private int rampIndex;
  private int refined;
  /** The highest sustainable rate so far; 0 for none. */
  private int good;
  /** The lowest rate found not sustainable; 0 while none was. */
  private int bad;

  /**
   * @param ramp        increasing rates (per second) to try in turn
   * @param refinements how many rates between the last good and the first bad one to try at most
   * @param resolution  no refinement once the gap is this small (per second)
   */
  public RateSearch(List<Integer> ramp, int refinements, int resolution) {
    if (ramp.isEmpty()) {
      throw new IllegalArgumentException("an empty ramp");
    }
    for (int i = 1; i < ramp.size(); i++) {
      if (ramp.get(i) <= ramp.get(i - 1)) {
        throw new IllegalArgumentException("the ramp must increase: " + ramp);
      }
    }
    this.ramp = List.copyOf(ramp);
    this.refinements = refinements;
    this.resolution = Math.max(1, resolution);
  }

  /** The next rate to run, or empty when the search is over. */
  public OptionalInt next() {
    if (bad == 0) {
      return rampIndex < ramp.size() ? OptionalInt.of(ramp.get(rampIndex)) : OptionalInt.empty();
    }
    if (refined >= refinements || bad - good <= resolution) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(good + (bad - good) / 2);
  }

  /** What the run at {@code rate} (the one {@link #next()} gave) came to. */
  public void record(int rate, boolean sustainable) {
    tried.add(new int[] {rate, sustainable ? 1 : 0});
    if (bad == 0) {
      rampIndex++;
    } else {
      refined++;
    }
    if (sustainable) {
      good = Math.max(good, rate);
    } else {
      bad = bad == 0 ? rate : Math.min(bad, rate);
    }
  }

  /** The highest rate found sustainable; empty when none was. */
  public OptionalInt maxSustainable() {
    return good > 0 ? OptionalInt.of(good) : OptionalInt.empty();
  }

  /** Every rate of the ramp was sustainable: the limit is higher than {@link #maxSustainable()}. */
  public boolean ceilingReached() {
    return bad == 0 && rampIndex >= ramp.size();
  }
}
