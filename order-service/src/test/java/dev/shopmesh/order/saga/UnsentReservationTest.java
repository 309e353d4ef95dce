package dev.shopmesh.order.saga;

import dev.shopmesh.order.order.NewOrder;
import dev.shopmesh.order.order.Order;
import dev.shopmesh.order.order.OrderStatus;
import dev.shopmesh.order.store.OrderStore;
import dev.shopmesh.order.tracking.OrderChanges;
import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.db.Database;
import dev.shopmesh.platform.discovery.Discovery;
import dev.shopmesh.platform.discovery.ReplicaCache;
import dev.shopmesh.platform.rpc.LbSettings;
import dev.shopmesh.platform.rpc.MeshClient;
import dev.shopmesh.platform.rpc.RpcSettings;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reservation no catalog replica got (none registered, its circuit open) took no stock: the
 * order owes no release. Released anyway, each such order owed one that failed the same way,
 * logged and retried by the sweep, 4,349 lines in 35 s of an outage.
 */
@ExtendWith(VertxExtension.class)
class UnsentReservationTest {

  @TempDir
  Path data;
  Database database;

  @AfterEach
  void stop() {
    Await.result(database.close());
  }

  @Test
  void anOrderWhoseReservationReachedNoReplicaOwesNoRelease(Vertx vertx) {
    database = Database.open(vertx, TestConfig.in(data), "order-service");
    OrderChanges changes = new OrderChanges(vertx);
    OrderStore store = new OrderStore(database, changes);
    Await.result(store.migrate());
    ReplicaCache noReplicas = new ReplicaCache(vertx, new Discovery(vertx, Config.of(Map.of())), 60_000);
    Await.result(noReplicas.start());
    MeshClient client = new MeshClient(vertx, RpcSettings.from(Config.of(Map.of())), LbSettings.from(Config.of(Map.of())), noReplicas);
    PlaceOrderSaga saga = new PlaceOrderSaga(vertx, store, changes, new Downstream(client), 2_000, Logger.getAnonymousLogger());

    Order order = Await.result(saga.place(new NewOrder(UUID.randomUUID().toString(), "c", List.of(new NewOrder.Item("mug", 1)),
      new NewOrder.PaymentCard("4242424242424242", "12/30", "123"))));

    assertThat(order.status()).isEqualTo(OrderStatus.REJECTED);
    assertThat(order.reason()).isEqualTo("no replica of catalog-service is registered; nothing was charged, no stock was taken");
    assertThat(Await.result(store.owedCompensations(Long.MAX_VALUE, 10))).doesNotContainKey(order.id());
    Await.result(client.close());
  }
}
