package dev.shopmesh.platform.boot;

import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SHOPMESH_EVENT_LOOPS is the gateway's: a backend's handlers and stores are written for one thread.
 * Every service read it, so a {@code SHOPMESH_EVENT_LOOPS=4 ./shopmesh up} meant for the gateway put
 * each backend's calls on four threads.
 */
@ExtendWith(VertxExtension.class)
class EventLoopsTest {

  @Test
  void aBackendServesOnOneEventLoopAndNamesTheSettingAsNotItsOwn(Vertx vertx) {
    Config config = Config.load(Map.of(), new String[] {"--event-loops=4"});
    Launcher.Running running = Await.result(Launcher.start(vertx, List.of(new OrderlyStopTest.BareService(config))));
    try {
      // Several event loops are served by a child verticle each; one loop by the service itself.
      assertThat(vertx.deploymentIDs()).as("deployments").hasSize(1);
      assertThat(config.unreadFlags()).as("the flags Launcher reports ignored").containsExactly("--event-loops");
    } finally {
      Await.result(running.close());
    }
  }
}
