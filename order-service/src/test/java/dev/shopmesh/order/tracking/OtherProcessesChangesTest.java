package dev.shopmesh.order.tracking;

import dev.shopmesh.order.order.NewOrder;
import dev.shopmesh.order.order.Order;
import dev.shopmesh.order.order.OrderStatus;
import dev.shopmesh.order.order.Rejection;
import dev.shopmesh.order.store.OrderStore;
import dev.shopmesh.platform.db.Database;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.TestConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two order-service processes on one PostgreSQL (two Vert.x instances here): a stream on one hears
 * at once of an order the other settled, though it polls only once a minute ({@link OrderChanges}).
 */
@ExtendWith(VertxExtension.class)
class OtherProcessesChangesTest {

  /** So long that a state heard within the test's wait was not polled for. */
  static final long POLL_MILLIS = 60_000;

  @TempDir
  Path data;
  Vertx here;
  Vertx elsewhere;
  Side hereSide;
  Side elsewhereSide;

  /** One process's order-service: its database, its changes, its store. */
  record Side(Database database, OrderChanges changes, OrderStore store) {

    static Side in(Vertx vertx, Path data) {
      Database database = Database.open(vertx, TestConfig.in(data), "order-service");
      OrderChanges changes = new OrderChanges(vertx, database);
      OrderStore store = new OrderStore(database, changes);
      Await.result(store.migrate().compose(v -> changes.listen()));
      return new Side(database, changes, store);
    }

    void close() {
      Await.result(changes.close().compose(v -> database.close()));
    }
  }

  @BeforeEach
  void start(Vertx vertx) {
    assumeTrue(TestConfig.postgres(), "PostgreSQL only: the embedded store's processes hear of each other's changes by polling");
    here = vertx;
    hereSide = Side.in(here, data);
    elsewhere = Vertx.vertx();
    elsewhereSide = Side.in(elsewhere, data);
  }

  @AfterEach
  void stop() {
    if (hereSide != null) {
      hereSide.close();
    }
    if (elsewhereSide != null) {
      elsewhereSide.close();
    }
    if (elsewhere != null) {
      Await.result(elsewhere.close());
    }
  }

  /**
   * A replica stopped while it connects to listen (just started, or PostgreSQL restarting) leaves
   * no connection behind: Vert.x connected and listened all the same, and kept it for the life of
   * the process.
   */
  @Test
  void aReplicaStoppedWhileItConnectsToListenLeavesNoConnection() {
    long before = listening();
    for (int i = 0; i < 5; i++) {
      OrderChanges changes = new OrderChanges(here, hereSide.database());
      Await.onEventLoop(here, () -> {
        changes.listen();
        return changes.close();
      });
    }
    // Long enough for the connections made after each close to listen (a few ms each here).
    Await.result(here.timer(3_000));
    assertThat(listening()).as("connections listening").isEqualTo(before);
  }

  /** Connections to this database listening, as PostgreSQL counts them. */
  private long listening() {
    return Await.result(hereSide.database().pool().query("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
      + " AND query LIKE 'LISTEN%'").execute()).iterator().next().getLong(0);
  }

  /** Three orders settled at once elsewhere: one notification carries them, each heard. */
  @Test
  void aStreamHearsAtOnceOfOrdersSettledInAnotherProcess() {
    List<Order> placed = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String id = UUID.randomUUID().toString();
      NewOrder request = new NewOrder(id, "c", List.of(new NewOrder.Item("mug", 1)),
        new NewOrder.PaymentCard("4242424242424242", "12/30", "123"));
      placed.add(Await.result(elsewhereSide.store().insertPending(id, request, System.currentTimeMillis())).orElseThrow());
    }
    List<Order> heard = new CopyOnWriteArrayList<>();
    Await.onEventLoop(here, () -> {
      OrderFollower follower = new OrderFollower(here, hereSide.store(), hereSide.changes(), POLL_MILLIS, heard::add);
      return Future.all(placed.stream().map(order -> follower.add(order.id())).toList());
    });
    assertThat(heard).extracting(Order::status).containsOnly(OrderStatus.PENDING).hasSize(3);

    Await.result(Future.all(placed.stream()
      .map(order -> elsewhereSide.store().finish(order, OrderStatus.CONFIRMED, null, Rejection.NONE, "")).toList()));
    Await.until("the stream here hears the orders confirmed elsewhere", Duration.ofSeconds(5), () -> heard.size() == 6);
    assertThat(heard.subList(3, 6)).extracting(Order::id).containsExactlyInAnyOrderElementsOf(placed.stream().map(Order::id).toList());
    assertThat(heard.subList(3, 6)).extracting(Order::status).containsOnly(OrderStatus.CONFIRMED);
  }
}
