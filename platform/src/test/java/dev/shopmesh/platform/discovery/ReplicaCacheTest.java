package dev.shopmesh.platform.discovery;

import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.testing.Await;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** A registry that cannot be read is said once, not on every refresh, and not kept quiet. */
class ReplicaCacheTest {

  final Logger log = Logger.getLogger("shopmesh.discovery");
  final List<LogRecord> records = new CopyOnWriteArrayList<>();
  final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  };
  Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    log.addHandler(capture);
  }

  @AfterEach
  void stop() {
    log.removeHandler(capture);
    Await.result(vertx.close());
  }

  @Test
  void anUnreadableRegistryIsLoggedOnceWhileItStaysUnreadable() {
    // Nothing listens on port 1.
    Discovery unreachable = new Discovery(vertx, Config.of(Map.of("SHOPMESH_DISCOVERY", "redis://127.0.0.1:1")));
    ReplicaCache cache = new ReplicaCache(vertx, unreachable, 60_000);
    for (int i = 0; i < 3; i++) {
      Await.failure(cache.refresh());
    }
    assertThat(records).filteredOn(r -> r.getLevel() == Level.WARNING).extracting(LogRecord::getMessage)
      .singleElement().asString().startsWith("discovery unreadable, calls keep going to the 0 replicas last seen");
  }

  /** As on a clean stop of ./shopmesh up: one service's withdrawal announced while another's cache stops. */
  @Test
  void anAnnouncementArrivingAsTheCacheStopsIsDroppedQuietly() {
    Logger consumers = Logger.getLogger("io.vertx.core.eventbus.impl.MessageConsumerImpl");
    consumers.addHandler(capture);
    try {
      Discovery discovery = new Discovery(vertx, Config.of(Map.of()));
      ReplicaCache cache = new ReplicaCache(vertx, discovery, 60_000);
      Await.result(cache.start());
      Promise<Void> stopped = Promise.promise();
      vertx.runOnContext(v -> {
        vertx.eventBus().publish(discovery.announceAddress(), new JsonObject());
        cache.stop();
        stopped.complete();
      });
      Await.result(stopped.future());
      assertThat(records).extracting(LogRecord::getMessage).noneMatch(m -> m.startsWith("Discarding message"));
    } finally {
      consumers.removeHandler(capture);
    }
  }
}
