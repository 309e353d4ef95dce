package dev.shopmesh.bench.orders;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.IntPredicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateSearchTest {

  /** Runs the search against a mesh that sustains {@code sustains}; answers the rates tried, in order. */
  private static List<Integer> tried(RateSearch search, IntPredicate sustains) {
    List<Integer> rates = new ArrayList<>();
    for (OptionalInt rate = search.next(); rate.isPresent(); rate = search.next()) {
      rates.add(rate.getAsInt());
      search.record(rate.getAsInt(), sustains.test(rate.getAsInt()));
    }
    return rates;
  }

  @Test
  void climbsTheRampToTheFirstFailureThenHalvesTheGap() {
    RateSearch search = new RateSearch(List.of(250, 500, 750, 1000, 1250), 2, 50);

    List<Integer> rates = tried(search, rate -> rate <= 900);

    assertThat(rates).containsExactly(250, 500, 750, 1000, 875, 937);
    assertThat(search.maxSustainable()).hasValue(875);
    assertThat(search.ceilingReached()).isFalse();
  }

  @Test
  void stopsRefiningOnceTheGapIsWithinTheResolution() {
    RateSearch search = new RateSearch(List.of(100, 200), 5, 50);

    assertThat(tried(search, rate -> rate < 150)).containsExactly(100, 200, 150);
    assertThat(search.maxSustainable()).hasValue(100);
  }

  @Test
  void aRampThatAlwaysHeldGivesItsTopAsAFloor() {
    RateSearch search = new RateSearch(List.of(100, 200, 400), 2, 50);

    assertThat(tried(search, rate -> true)).containsExactly(100, 200, 400);
    assertThat(search.maxSustainable()).hasValue(400);
    assertThat(search.ceilingReached()).isTrue();
  }

  @Test
  void aFirstStepThatFailsIsRefinedDownwardsAndMayFindNothing() {
    RateSearch search = new RateSearch(List.of(400, 800), 2, 50);

    assertThat(tried(search, rate -> false)).containsExactly(400, 200, 100);
    assertThat(search.maxSustainable()).isEmpty();
    assertThat(search.ceilingReached()).isFalse();
  }

  @Test
  void withoutRefinementsTheAnswerIsTheLastGoodRampStep() {
    RateSearch search = new RateSearch(List.of(100, 200, 400), 0, 50);

    assertThat(tried(search, rate -> rate < 300)).containsExactly(100, 200, 400);
    assertThat(search.maxSustainable()).hasValue(200);
  }

  @Test
  void refusesARampThatDoesNotIncrease() {
    assertThatThrownBy(() -> new RateSearch(List.of(200, 100), 0, 50)).hasMessageContaining("increase");
    assertThatThrownBy(() -> new RateSearch(List.of(), 0, 50)).hasMessageContaining("empty");
  }
}
