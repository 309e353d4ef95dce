package dev.shopmesh.platform.lb;

import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class OutliersTest {

  final AtomicLong now = new AtomicLong(1_000_000);
  final Outliers outliers = new Outliers(1_000, 8_000, now::get);

  @Test
  void aRefusedConnectionEjectsAtOnceForTheBackOff() {
    outliers.failed("a:1", new ConnectException("Connection refused"));
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
    outliers.failed("a:1", new ConnectException("Connection refused"));
    outliers.retain(Set.of());
    assertThat(outliers.ejected("a:1")).as("back in the view within its back-off: still ejected").isTrue();
    now.addAndGet(1_000);
    outliers.retain(Set.of());
    outliers.failed("a:1", new ConnectException("Connection refused"));
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

    outliers.failed("b:1", new ConnectException("Connection refused"));
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
    outliers.fault("a:1", false);
    outliers.fault("a:1", false);
    outliers.succeeded("a:1");
    outliers.fault("a:1", false);
    assertThat(outliers.ejected("a:1")).isFalse();
    outliers.fault("a:1", false);
    outliers.fault("a:1", false);
    assertThat(outliers.ejected("a:1")).isTrue();
  }

  @Test
  void theBackOffDoublesUpToItsMaximumAndResetsOnSuccess() {
    for (long expected : new long[] {1_000, 2_000, 4_000, 8_000, 8_000}) {
      outliers.fault("a:1", true);
      now.addAndGet(expected - 1);
      assertThat(outliers.ejected("a:1")).isTrue();
      now.addAndGet(1);
      assertThat(outliers.ejected("a:1")).isFalse();
    }
    outliers.succeeded("a:1");
    outliers.fault("a:1", true);
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
      outliers.fault("a:1", true);
      outliers.probePassed("a:1");
      now.addAndGet(expected - 1);
      assertThat(outliers.ejected("a:1")).as("%d ms into a back-off of %d ms", expected - 1, expected).isTrue();
      now.addAndGet(1);
    }
  }

  @Test
  void twoReplicasAreEnough() {
    outliers.fault("a:1", true);
    assertThat(outliers.ejected("a:1")).isTrue();
    assertThat(outliers.ejected("b:1")).isFalse();
  }
}
