package dev.shopmesh.order.saga;

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
import io.vertx.core.Vertx;

import java.util.Map;
import java.util.function.Function;
import java.util.logging.Logger;

/** A saga on its own store, its mesh client finding no replica: each test gives it the downstream it needs. */
record SagaBench(Database database, OrderStore store, PlaceOrderSaga saga, MeshClient client) implements AutoCloseable {

  static SagaBench open(Vertx vertx, Database database, Function<MeshClient, Downstream> downstream) {
    OrderChanges changes = new OrderChanges(vertx);
    OrderStore store = new OrderStore(database, changes);
    Await.result(store.migrate());
    ReplicaCache noReplicas = new ReplicaCache(vertx, new Discovery(vertx, Config.of(Map.of())), 60_000);
    Await.result(noReplicas.start());
    MeshClient client = new MeshClient(vertx, RpcSettings.from(Config.of(Map.of())), LbSettings.from(Config.of(Map.of())), noReplicas);
    PlaceOrderSaga saga = new PlaceOrderSaga(vertx, store, changes, downstream.apply(client), 2_000, Logger.getAnonymousLogger());
    return new SagaBench(database, store, saga, client);
  }

  @Override
  public void close() {
    Await.result(client.close());
    Await.result(database.close());
  }
}
