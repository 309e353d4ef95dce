package dev.shopmesh.platform.db;

import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Slow is not gone, silent is: readiness on a clock of the test's own, each look answered when the test says. */
class DatabaseReadinessTest {

  final AtomicLong now = new AtomicLong(1_000_000);
  final AtomicLong lastFull = new AtomicLong();
  /** When another statement was last answered: never, unless a test says so. */
  final AtomicLong lastAnswered = new AtomicLong();
  final List<Promise<Boolean>> looks = new ArrayList<>();
  final DatabaseReadiness readiness = new DatabaseReadiness(() -> {
    Promise<Boolean> look = Promise.promise();
    looks.add(look);
    return look.future();
  }, lastFull::get, lastAnswered::get, now::get);

  /** A look only reads, which a full disk still serves: a write refused for want of space is what tells. */
  @Test
  void aDatabaseThatRefusedAWriteForWantOfSpaceIsNotReadyForAWhile() {
    assertThat(readiness.ready()).isTrue();
    looks.get(0).complete(true);
    lastFull.set(now.get());
    now.addAndGet(1_000);
    assertThat(readiness.ready()).as("1 s after the refused write").isFalse();
    looks.get(1).complete(true);
    now.addAndGet(DatabaseReadiness.SILENT_MILLIS);
    assertThat(readiness.ready()).as("with no write refused for a while: the next order may find space").isTrue();
  }

  /** The embedded store's SELECT 1 waits behind the orders on its connection: every look answered 1.5 s late. */
  @Test
  void aDatabaseThatAnswersEveryLookLateStaysReady() {
    for (int second = 0; second < 20; second++) {
      assertThat(readiness.ready()).as("at %d s", second).isTrue();
      now.addAndGet(1_500);
      looks.get(looks.size() - 1).complete(true);
    }
    assertThat(looks).as("one look per check, each answered before the next").hasSize(20);
  }

  /** A container's health check, every 10 s, and nothing else asking: each look answered at once. */
  @Test
  void aDatabaseAskedSeldomAndAnsweringAtOnceStaysReady() {
    for (int i = 0; i < 5; i++) {
      assertThat(readiness.ready()).as("check %d", i).isTrue();
      looks.get(looks.size() - 1).complete(true);
      now.addAndGet(10_000);
    }
  }

  @Test
  void aDatabaseSilentForLongerThanTheDeadlineIsNotReadyAndOnlyOneLookWaitsOnIt() {
    for (int i = 0; i < 5; i++) {
      assertThat(readiness.ready()).as("silent for %d s", i).isTrue();
      now.addAndGet(1_000);
    }
    assertThat(readiness.ready()).as("silent for exactly the limit").isTrue();
    assertThat(looks).as("no look piled on the one pending").hasSize(1);
    now.addAndGet(1);
    assertThat(readiness.ready()).isFalse();
    // The look given up on is replaced, and once the database is back, the new one's answer counts.
    assertThat(looks).hasSize(2);
    looks.get(1).complete(true);
    assertThat(readiness.ready()).isTrue();
    looks.get(0).complete(false);
    assertThat(readiness.ready()).as("the answer of the look given up on counts too: the latest").isFalse();
  }

  @Test
  void aDatabaseThatRefusesIsNotReadyUntilItAnswers() {
    readiness.ready();
    looks.get(0).complete(false);
    assertThat(readiness.ready()).isFalse();
    looks.get(1).complete(false);
    assertThat(readiness.ready()).isFalse();
    looks.get(2).complete(true);
    assertThat(readiness.ready()).isTrue();
  }

  /**
   * The embedded store's look waits behind the statements queued on its one connection, and gives
   * up on a connection after 4 s: while those statements are answered, the database is busy, not
   * gone. It was counted as refusing, and /health said 503 under a burst of catalog streams.
   */
  @Test
  void aLookThatFindsNoConnectionFreeWhileOtherStatementsAreAnsweredStaysReady() {
    for (int second = 0; second < 20; second += 4) {
      assertThat(readiness.ready()).as("at %d s", second).isTrue();
      now.addAndGet(4_000);
      lastAnswered.set(now.get() - 10);
      looks.get(looks.size() - 1).fail("Timeout");
    }
    assertThat(readiness.ready()).isTrue();
  }

  /**
   * A frozen PostgreSQL whose connections are all held by statements that never end: every look
   * finds no connection in time, and nothing else is answered either.
   */
  @Test
  void aDatabaseWhoseLooksFindNoConnectionAndThatAnswersNothingIsNotReady() {
    lastAnswered.set(now.get());
    assertThat(readiness.ready()).isTrue();
    now.addAndGet(4_000);
    looks.get(0).fail("Timeout");
    assertThat(readiness.ready()).as("4 s since the last answer").isTrue();
    assertThat(looks).as("the next check looks again").hasSize(2);
    now.addAndGet(4_000);
    looks.get(1).fail("Timeout");
    assertThat(readiness.ready()).as("no connection in time, nothing answered for 8 s").isFalse();
    looks.get(2).complete(true);
    assertThat(readiness.ready()).as("answering again").isTrue();
  }

  /** After a burst in which a look found no connection free, a database idle since answers its next look at once. */
  @Test
  void aDatabaseIdleAfterABurstIsReady() {
    lastAnswered.set(now.get());
    assertThat(readiness.ready()).isTrue();
    now.addAndGet(4_000);
    lastAnswered.set(now.get() - 10);
    looks.get(0).fail("Timeout");
    now.addAndGet(10_000);
    assertThat(readiness.ready()).as("the container's next check, 10 s on, its look just sent").isTrue();
    looks.get(1).complete(true);
    assertThat(readiness.ready()).isTrue();
  }
}
