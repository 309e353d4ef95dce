package dev.shopmesh.platform.boot;

import dev.shopmesh.platform.log.Logs;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.LogCapture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;

/** How long a start keeps trying a dependency that is only late, and what it says when it gives up. */
@ExtendWith(VertxExtension.class)
class StartRetriesTest {

  LogCapture log;
  Vertx vertx;
  final AtomicInteger calls = new AtomicInteger();

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    log = new LogCapture("shopmesh.start-test", Level.INFO);
  }

  @AfterEach
  void stop() {
    log.close();
  }

  StartRetries retries(long waitMillis, int waitsPerAttempt) {
    return new StartRetries(vertx, Logs.logger("start-test"), waitMillis, waitsPerAttempt,
      err -> err instanceof ConnectException, Throwable::getMessage, "; SOME_SETTING=x");
  }

  /** A request refused, after {@code millis}, as a database not listening yet is. */
  Supplier<Future<Void>> refusedAfter(long millis) {
    return () -> {
      calls.incrementAndGet();
      Future<Void> refused = Future.failedFuture(new ConnectException("refused"));
      return millis == 0 ? refused : vertx.timer(millis).compose(v -> refused);
    };
  }

  /**
   * An attempt starts only if it can end within the window: waits of 300 ms, two an attempt, a
   * window of 3 s; each attempt fails 600 ms in, after back-offs of 250 and 300 ms, so a fourth
   * would end at about 3.25 s, past the window.
   */
  @Test
  void noAttemptStartsThatCouldEndPastTheWindow() {
    long start = System.nanoTime();

    Throwable given = Await.failure(retries(300, 2).run("setting up the test", refusedAfter(600)));

    long tookMillis = (System.nanoTime() - start) / 1_000_000;
    assertThat(calls.get()).isEqualTo(3);
    assertThat(tookMillis).isBetween(2_300L, 4_000L);
    assertThat(given).isInstanceOf(StartRetries.GaveUp.class)
      .hasMessageMatching("refused \\(3 attempts in \\d\\.\\d s; SOME_SETTING=x\\)");
  }

  /** The message counts the attempts made, and the warning is said once, at the first. */
  @Test
  void theMessageCountsTheAttemptsMade() {
    Throwable given = Await.failure(retries(200, 1).run("setting up the test", refusedAfter(0)));

    assertThat(given).hasMessageStartingWith("refused (" + calls.get() + " attempts in ");
    assertThat(calls.get()).isGreaterThan(3);
    assertThat(log.records()).filteredOn(r -> r.getLevel() == Level.WARNING).extracting(LogRecord::getMessage)
      .containsExactly("setting up the test: refused; trying again for up to 2 s");
  }

  /** At most 30 s, half the start's 60, whatever a wait is: ten waits of 4 s would be 40. */
  @Test
  void theWindowIsAtMostThirtySeconds() {
    AtomicInteger answered = new AtomicInteger();
    Future<Integer> late = retries(4_000, 1).run("setting up the test", () -> calls.incrementAndGet() < 2
      ? Future.failedFuture(new ConnectException("refused")) : Future.succeededFuture(answered.incrementAndGet()));

    assertThat(Await.result(late)).isEqualTo(1);
    assertThat(log.records()).extracting(LogRecord::getMessage).containsExactly(
      "setting up the test: refused; trying again for up to 30 s", "setting up the test: answered at attempt 2");
  }

  /**
   * The waits between attempts double from 250 ms up to one wait: a registry still starting is
   * asked again soon, one down for longer is not asked four times a second for half a minute.
   */
  @Test
  void theBackOffDoublesUpToOneWait() {
    List<Long> started = new ArrayList<>();
    Await.failure(retries(600, 1).run("setting up the test", () -> {
      started.add(System.nanoTime() / 1_000_000);
      return Future.failedFuture(new ConnectException("refused"));
    }));

    assertThat(started).hasSizeGreaterThan(5);
    // Timers never fire early; a busy machine only makes the gaps longer.
    long[] least = {250, 500, 600, 600};
    for (int i = 0; i < least.length; i++) {
      assertThat(started.get(i + 1) - started.get(i)).as("the wait before attempt %d", i + 2).isGreaterThanOrEqualTo(least[i] - 5);
    }
    assertThat(started.get(1) - started.get(0)).as("the first wait, shorter than one wait").isLessThan(550);
  }

  /** A failure that is not "not there yet" (a refused login) is said at once. */
  @Test
  void anotherFailureIsSaidAtOnce() {
    Throwable given = Await.failure(retries(4_000, 1).run("setting up the test", () -> {
      calls.incrementAndGet();
      return Future.failedFuture(new IllegalStateException("password authentication failed"));
    }));

    assertThat(given).isNotInstanceOf(StartRetries.GaveUp.class).hasMessage("password authentication failed");
    assertThat(calls.get()).isEqualTo(1);
    assertThat(log.records()).isEmpty();
  }
}
