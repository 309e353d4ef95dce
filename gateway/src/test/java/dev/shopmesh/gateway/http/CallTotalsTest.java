package dev.shopmesh.gateway.http;

import dev.shopmesh.platform.discovery.Replica;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A catalog replica's calls, as order-service replicas report them, through restarts and out-of-order reads. */
class CallTotalsTest {

  static final String CATALOG = "127.0.0.1:7001";
  final CallTotals totals = new CallTotals();

  /** The catalog replica, and order-service replicas reporting on it: {id, calls, errors, heartbeat time}. */
  static List<Replica> view(boolean withCatalog, long[]... callers) {
    List<Replica> view = new ArrayList<>();
    if (withCatalog) {
      view.add(new Replica("catalog-1", "catalog-service", "127.0.0.1", 7001, new JsonObject(), new JsonObject(), 1, null, false));
    }
    for (long[] c : callers) {
      JsonObject clients = c[1] < 0 ? new JsonObject() : new JsonObject().put("catalog-service", new JsonObject()
        .put(CATALOG, new JsonObject().put("calls", c[1]).put("errors", c[2]).put("inFlight", 0).put("p99Ms", 1.0)));
      view.add(new Replica("order-" + c[0], "order-service", "127.0.0.1", 8000 + (int) c[0], clients, new JsonObject(), c[3], null, false));
    }
    return view;
  }

  long[] at(long now, List<Replica> view) {
    return totals.totals(view, now).getOrDefault(CATALOG, new long[2]);
  }

  @Test
  void aRestartedCallerLeavesWhatItHadCounted() {
    assertThat(at(0, view(true, new long[] {1, 100, 2, 10}))).containsExactly(100, 2);
    // order-1 restarted as order-2, which has made 30 calls so far.
    assertThat(at(1_000, view(true, new long[] {2, 30, 0, 20}))).containsExactly(130, 2);
    assertThat(at(2_000, view(true, new long[] {2, 50, 1, 30}))).containsExactly(150, 3);
  }

  @Test
  void aCallerBackInTheViewUnderItsIdIsCountedOnce() {
    assertThat(at(0, view(true, new long[] {1, 100, 0, 10}))).containsExactly(100, 0);
    assertThat(at(1_000, view(true))).containsExactly(100, 0);
    assertThat(at(2_000, view(true, new long[] {1, 120, 0, 30}))).containsExactly(120, 0);
  }

  @Test
  void aReportOlderThanTheOneCountedIsNotCounted() {
    assertThat(at(0, view(true, new long[] {1, 100, 0, 20}))).containsExactly(100, 0);
    assertThat(at(1_000, view(true, new long[] {1, 80, 0, 10}))).containsExactly(100, 0);
    assertThat(at(2_000, view(true, new long[] {1, 110, 0, 30}))).containsExactly(110, 0);
  }

  @Test
  void countersThatStartedAgainUnderTheSameIdAddToWhatTheyHadCounted() {
    assertThat(at(0, view(true, new long[] {1, 100, 4, 10}))).containsExactly(100, 4);
    assertThat(at(1_000, view(true, new long[] {1, 5, 0, 20}))).containsExactly(105, 4);
  }

  @Test
  void aCallerSilentAboutTheReplicaForNowStillCountsWhatItReported() {
    assertThat(at(0, view(true, new long[] {1, 100, 0, 10}))).containsExactly(100, 0);
    assertThat(at(1_000, view(true, new long[] {1, -1, 0, 20}))).containsExactly(100, 0);
    assertThat(at(2_000, view(true, new long[] {1, 130, 0, 30}))).containsExactly(130, 0);
  }

  /** Each moment out of the view is timed on its own: two a minute apart let nothing go. */
  @Test
  void twoMomentsOutOfTheViewAMinuteApartLetNothingGo() {
    at(0, view(true, new long[] {1, 100, 0, 10}));
    at(1_000, view(true));
    at(2_000, view(false));
    at(3_000, view(true));
    at(2_000 + CallTotals.FORGET_AFTER_MILLIS, view(false));
    assertThat(at(3_000 + CallTotals.FORGET_AFTER_MILLIS, view(true))).containsExactly(100, 0);
  }

  @Test
  void whatIsKeptForAReplicaOutOfTheViewIsLetGoAfterAWhile() {
    at(0, view(true, new long[] {1, 100, 0, 10}));
    at(1_000, view(true));
    // Out of the view for a moment: kept.
    at(2_000, view(false));
    assertThat(at(2_000 + CallTotals.FORGET_AFTER_MILLIS - 1, view(true))).containsExactly(100, 0);
    // Out of it for longer: a replica at that address later is another one.
    at(100_000, view(false));
    at(100_000 + CallTotals.FORGET_AFTER_MILLIS, view(false));
    assertThat(at(200_000, view(true, new long[] {2, 7, 0, 40}))).containsExactly(7, 0);
  }
}
