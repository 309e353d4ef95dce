package dev.shopmesh.platform.rpc;

import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Whose deadline a call ran out of, as the message a client and the log read says it. */
class DeadlinesTest {

  static final long OWN = 5_000;

  static String said(long remainingMillis, StatusException err) {
    return ((StatusException) Deadlines.ownTimeout(remainingMillis, OWN).apply(err)).message();
  }

  @Test
  void aCallersDeadlineShorterThanTheHopsOwnIsNamed() {
    assertThat(said(396, Deadlines.noAnswer("payment-service")))
      .isEqualTo("payment-service did not answer within the deadline (the caller's deadline, 396 ms)");
    assertThat(said(0, Deadlines.passedBeforeCalling("payment-service")))
      .isEqualTo("deadline exceeded before calling payment-service (the caller's deadline, already passed)");
  }

  /** The caller's deadline is the hop's own, less the time the request took to arrive: not the caller's doing. */
  @Test
  void aCallersDeadlineAsLongAsTheHopsOwnLessTheJourneyIsNotNamed() {
    assertThat(said(OWN - 10, Deadlines.noAnswer("payment-service"))).isEqualTo("payment-service did not answer within the deadline");
    assertThat(said(OWN, Deadlines.noAnswer("payment-service"))).isEqualTo("payment-service did not answer within the deadline");
  }

  @Test
  void onlyDeadlinesAreNamed() {
    StatusException answered = new StatusException(GrpcStatus.UNAVAILABLE, "the database is unavailable");
    assertThat(Deadlines.ownTimeout(10, OWN).apply(answered)).isSameAs(answered);
  }
}
