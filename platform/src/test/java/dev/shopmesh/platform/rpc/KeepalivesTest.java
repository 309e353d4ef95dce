package dev.shopmesh.platform.rpc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How long a connection whose replica left a health check unanswered waits for its PING's answer:
 * 1.5 s by default (docs/scaling.md), so that with the check's 500 ms the calls in flight on it are
 * failed and retried elsewhere within their 5 s deadline.
 */
class KeepalivesTest {

  @Test
  void aSuspectedConnectionWaitsThreeFifthsOfTheKeepaliveInterval() {
    assertThat(Keepalives.suspectWaitMillis(2_500)).isEqualTo(1_500);
    assertThat(Keepalives.suspectWaitMillis(10_000)).as("a longer interval, set to ride out longer stalls").isEqualTo(6_000);
    assertThat(Keepalives.suspectWaitMillis(1)).as("never no wait at all").isEqualTo(1);
  }
}
