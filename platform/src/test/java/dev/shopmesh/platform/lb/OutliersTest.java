package dev.shopmesh.platform.lb;

import io.vertx.core.http.GoAway;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import dev.shopmesh.platform.testing.LogCapture;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class OutliersTest {

  final AtomicLong now = new AtomicLong(1_000_000);
  final Outliers outliers = new Outliers(1_000, 8_000, hostPort -> Optional.of("echo-service"), now::get);
  static final ConnectException REFUSED = new ConnectException("Connection refused");

  @Test
  void aRefusedConnectionEjectsAtOnceForTheBackOff() {
    outliers.failed("a:1", REFUSED);
    assertThat(outliers.ejected("a:1")).isTrue();
    now.addAndGet(999);
    assertThat(outliers.ejected("a:1")).isTrue();
    now.addAndGet(1);
    assertThat(outliers.ejected("a:1")).isFalse();
  }

  /**
   * A stream reset with CANCEL is our own deadline or cancellation, a fault among others (three in a
   * row eject): ejecting at once, with two replicas a short slowdown sent all traffic to one. Another
   * reset is the replica's, and ejects at once.
   */
  @Test
  void aStreamWeCancelledIsNoEjectionAtOnceAndOneTheReplicaResetIs() {
    outliers.failed("a:1", new StreamResetException(8));
    assertThat(outliers.ejected("a:1")).as("after one of our own cancels").isFalse();
    outliers.failed("b:1", new StreamResetException(2));
    assertThat(outliers.ejected("b:1")).as("after an INTERNAL_ERROR reset").isTrue();
  }

  /** A replica that leaves the view keeps its ejection until it ends, then nothing of it is kept. */
  @Test
  void aReplicaGoneFromTheViewStaysEjectedUntilItsBackOffEnds() {
    outliers.failed("a:1", REFUSED);
    outliers.retain(Set.of());
    assertThat(outliers.ejected("a:1")).as("back in the view within its back-off: still ejected").isTrue();
    now.addAndGet(1_000);
    outliers.retain(Set.of());
    outliers.failed("a:1", REFUSED);
    now.addAndGet(1_000);
    assertThat(outliers.ejected("a:1")).as("forgotten: its next ejection starts at the base back-off").isFalse();
  }

  /** Probed every second while its database was down, a replica stayed out up to 30 s after it was back. */
  @Test
  void anEjectionOfTheHealthProbeEndsAtTheFirstCheckPassedAndOneOfCallsDoesNot() {
    for (int i = 0; i < 5; i++) {
      outliers.probeFailed("a:1");
      now.addAndGet(500);
    }
    assertThat(outliers.ejected("a:1")).as("back-off grown to the maximum").isTrue();
    outliers.probePassed("a:1");
    assertThat(outliers.ejected("a:1")).isFalse();

    outliers.failed("b:1", REFUSED);
    outliers.probePassed("b:1");
    assertThat(outliers.ejected("b:1")).as("calls failed: the back-off runs its course").isTrue();
  }

  /**
   * A replica cut off from the network: its checks fail at once, the calls in flight to it when
   * its connection is closed for want of a PING's answer, seconds later. Taken as calls' faults,
   * they kept it out for 30 s after it was back.
   */
  @Test
  void callsFailingWhileTheProbeEjectionRunsLeaveItToTheProbe() {
    for (int i = 0; i < 5; i++) {
      outliers.probeFailed("a:1");
      now.addAndGet(1_000);
    }
    outliers.failed("a:1", new HttpClosedException("Connection was closed"));
    outliers.failed("a:1", new HttpClosedException("Connection was closed"));
    outliers.probePassed("a:1");
    assertThat(outliers.ejected("a:1")).isFalse();
  }

  @Test
  void threeConsecutiveFaultsEjectAndASuccessInBetweenForgives() {
    outliers.fault("a:1");
    outliers.fault("a:1");
    outliers.succeeded("a:1");
    outliers.fault("a:1");
    assertThat(outliers.ejected("a:1")).isFalse();
    outliers.fault("a:1");
    outliers.fault("a:1");
    assertThat(outliers.ejected("a:1")).isTrue();
  }

  @Test
  void theBackOffDoublesUpToItsMaximumAndResetsOnSuccess() {
    for (long expected : new long[] {1_000, 2_000, 4_000, 8_000, 8_000}) {
      outliers.failed("a:1", REFUSED);
      now.addAndGet(expected - 1);
      assertThat(outliers.ejected("a:1")).isTrue();
      now.addAndGet(1);
      assertThat(outliers.ejected("a:1")).isFalse();
    }
    outliers.succeeded("a:1");
    outliers.failed("a:1", REFUSED);
    now.addAndGet(1_000);
    assertThat(outliers.ejected("a:1")).isFalse();
  }

  /**
   * A replica whose health checks pass while its calls keep failing: a check passed (or a call that
   * went through) during an ejection of calls forgives nothing, so the back-off still doubles.
   * Reset by each check, it would stay at its base, a round of failing calls every second.
   */
  @Test
  void aCheckPassedDuringAnEjectionOfCallsLeavesTheBackOffDoubling() {
    for (long expected : new long[] {1_000, 2_000, 4_000}) {
      outliers.failed("a:1", REFUSED);
      outliers.probePassed("a:1");
      now.addAndGet(expected - 1);
      assertThat(outliers.ejected("a:1")).as("%d ms into a back-off of %d ms", expected - 1, expected).isTrue();
      now.addAndGet(1);
    }
  }

  @Test
  void twoReplicasAreEnough() {
    outliers.failed("a:1", REFUSED);
    assertThat(outliers.ejected("a:1")).isTrue();
    assertThat(outliers.ejected("b:1")).isFalse();
  }

  /**
   * Each process calling a replica logs it set aside, and back in use, once each, naming its
   * service: a replica killed while the calls to it were retried elsewhere left no line at any of
   * its callers.
   */
  @Test
  void aReplicaSetAsideAndBackIsLoggedOnceEach() {
    try (LogCapture log = new LogCapture("shopmesh.lb", Level.INFO)) {
      outliers.failed("a:1", REFUSED);
      now.addAndGet(1_000);
      outliers.failed("a:1", REFUSED);
      assertThat(log.messagesContaining("a:1")).containsExactly(
        "echo-service replica a:1 set aside: its connection failed: Connection refused; tried again in 1000 ms");
      now.addAndGet(2_000);
      outliers.succeeded("a:1");
      outliers.succeeded("a:1");
      for (int i = 0; i < 3; i++) {
        outliers.fault("b:1");
      }
      outliers.probeFailed("c:1");
      outliers.probePassed("c:1");
      assertThat(log.messagesContaining(" replica ")).containsExactly(
        "echo-service replica a:1 set aside: its connection failed: Connection refused; tried again in 1000 ms",
        "echo-service replica a:1 back in use: a call went through",
        "echo-service replica b:1 set aside: 3 calls in a row failed; tried again in 1000 ms",
        "echo-service replica c:1 set aside: its health check failed; back once it passes one",
        "echo-service replica c:1 back in use: a health check passed");
    }
  }

  /**
   * A replica whose checks pass while its calls fail is logged set aside once, and back once a call
   * goes through: a passed check ended nothing but the probe's own ejection, yet logged the replica
   * back in use, and it was set aside again, two lines at every back-off.
   */
  @Test
  void aReplicaWhoseChecksPassWhileItsCallsFailIsLoggedSetAsideOnce() {
    try (LogCapture log = new LogCapture("shopmesh.lb", Level.INFO)) {
      for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 3; i++) {
          outliers.fault("a:1");
        }
        now.addAndGet(10_000);
        outliers.probePassed("a:1");
      }
      outliers.succeeded("a:1");
      assertThat(log.messagesContaining("a:1")).containsExactly(
        "echo-service replica a:1 set aside: 3 calls in a row failed; tried again in 1000 ms",
        "echo-service replica a:1 back in use: a call went through");
    }
  }

  /** A replica no longer in the view (it withdrew, stopping cleanly) is set aside without a word. */
  @Test
  void aReplicaOutOfTheViewIsSetAsideQuietly() {
    Outliers withoutView = new Outliers(1_000, 8_000, hostPort -> Optional.empty(), now::get);
    try (LogCapture log = new LogCapture("shopmesh.lb", Level.INFO)) {
      withoutView.failed("a:1", REFUSED);
      now.addAndGet(1_000);
      withoutView.retain(Set.of());
      assertThat(withoutView.ejected("a:1")).isFalse();
      assertThat(log.records()).isEmpty();
    }
  }

  /**
   * A replica stopping cleanly is set aside too, but logged at INFO, not as a failure: one that
   * refuses a call as it stops (GOAWAY without an error), or whose health check fails before its
   * withdrawal reaches the caller's view (a WARNING at each caller on every clean stop).
   */
  @Test
  void aReplicaStoppingCleanlyIsSetAsideAtInfo() {
    try (LogCapture log = new LogCapture("shopmesh.lb", Level.INFO)) {
      outliers.failed("a:1", new HttpClosedException(new GoAway().setErrorCode(0)));
      outliers.failed("b:1", new HttpClosedException(new GoAway().setErrorCode(2)));
      outliers.probeFailed("c:1");
      assertThat(outliers.ejected("a:1")).isTrue();
      assertThat(log.records()).extracting(LogRecord::getLevel, LogRecord::getMessage).containsExactly(
        tuple(Level.INFO, "echo-service replica a:1 set aside: it is stopping; tried again in 1000 ms"),
        tuple(Level.WARNING, "echo-service replica b:1 set aside: its connection failed: Stream was closed (GOAWAY error code = 2);"
          + " tried again in 1000 ms"),
        tuple(Level.INFO, "echo-service replica c:1 set aside: its health check failed; back once it passes one"));
    }
  }

  /** A replica set aside that leaves the registry (killed for good) is logged forgotten; one in use leaves quietly. */
  @Test
  void aReplicaForgottenWhileSetAsideIsLogged() {
    try (LogCapture log = new LogCapture("shopmesh.lb", Level.INFO)) {
      outliers.failed("a:1", REFUSED);
      outliers.fault("b:1");
      now.addAndGet(1_000);
      outliers.retain(Set.of());
      assertThat(log.messagesContaining("forgotten")).containsExactly("echo-service replica a:1 forgotten: no longer registered");
    }
  }
}
