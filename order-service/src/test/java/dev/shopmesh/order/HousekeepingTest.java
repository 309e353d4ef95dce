package dev.shopmesh.order;

import dev.shopmesh.platform.testing.Await;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The sweeps' schedule: a pass that outlasts the pause is never overlapped by the next. */
@ExtendWith(VertxExtension.class)
class HousekeepingTest {

  @Test
  void aSlowPassIsNotOverlappedAndTheNextStartsOnceItEnds(Vertx vertx) {
    List<Promise<Void>> passes = new CopyOnWriteArrayList<>();
    Housekeeping housekeeping = Housekeeping.start(vertx, 10, () -> {
      Promise<Void> pass = Promise.promise();
      passes.add(pass);
      return pass.future();
    });
    Await.until("the first pass starts", Duration.ofSeconds(5), () -> passes.size() == 1);
    // Twenty pauses' time while the first pass runs.
    Await.result(vertx.timer(200));
    assertThat(passes).as("passes started while the first runs").hasSize(1);

    passes.get(0).complete();
    Await.until("the next pass starts once the first ended", Duration.ofSeconds(5), () -> passes.size() == 2);
    housekeeping.stop();
    passes.get(1).complete();
    Await.result(vertx.timer(100));
    assertThat(passes).as("passes started after stop()").hasSize(2);
  }
}
