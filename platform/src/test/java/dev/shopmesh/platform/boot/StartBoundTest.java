package dev.shopmesh.platform.boot;

import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A start that never finishes ends the process rather than leaving it up and unready for good:
 * waiting on it had no bound, and a start held by Vert.x's pool (a database frozen between the
 * start's check and its first connection) neither served nor exited.
 */
class StartBoundTest {

  @Test
  void aStartThatNeverFinishesIsGivenUpAtTheBound() {
    long start = System.nanoTime();
    assertThatThrownBy(() -> Launcher.awaitStart(Promise.<Launcher.Running>promise().future(), Duration.ofMillis(300)))
      .hasMessageContaining("not finished within");
    assertThat((System.nanoTime() - start) / 1_000_000).as("ms until given up").isBetween(250L, 10_000L);
  }
}
