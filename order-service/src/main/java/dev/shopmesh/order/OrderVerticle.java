package dev.shopmesh.order;

import dev.shopmesh.order.api.OrderGrpc;
import dev.shopmesh.order.saga.Downstream;
import dev.shopmesh.order.saga.PlaceOrderSaga;
import dev.shopmesh.order.saga.SagaRecovery;
import dev.shopmesh.order.store.KeyExpiry;
import dev.shopmesh.order.store.OrderStore;
import dev.shopmesh.order.tracking.OrderChanges;
import dev.shopmesh.platform.boot.MeshContext;
import dev.shopmesh.platform.boot.MeshVerticle;
import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.discovery.ServiceNames;
import dev.shopmesh.proto.order.v1.OrderServiceGrpcService;
import io.vertx.core.Future;
import io.vertx.grpc.server.Service;

import java.time.Duration;
import java.util.List;

/** order-service: owns orders; places them by reserving stock (catalog) and charging (payment). */
public final class OrderVerticle extends MeshVerticle {

  public static final String NAME = ServiceNames.ORDER;

  private Housekeeping sweeps;
  private OrderGrpc grpc;
  private OrderChanges changes;

  public OrderVerticle(Config config) {
    super(NAME, config);
  }

  @Override
  protected Future<List<Service>> setUp(MeshContext context) {
    changes = new OrderChanges(vertx, database());
    OrderStore store = new OrderStore(database(), changes);
    Downstream downstream = new Downstream(context.client());
    // A replay waits for the first call with its key, well inside the caller's deadline.
    PlaceOrderSaga saga = new PlaceOrderSaga(vertx, store, changes, downstream, config.getLong("REPLAY_WAIT_MS", 2_000), log);
    SagaRecovery recovery = new SagaRecovery(store, downstream, config.getLong("SAGA_STALE_MS", 30_000, 1), log);
    KeyExpiry keyExpiry = new KeyExpiry(store,
      Duration.ofMillis(config.getLong("IDEMPOTENCY_KEY_TTL_MS", Duration.ofHours(24).toMillis(), 1)), log);
    long sweepMillis = config.getLong("SAGA_SWEEP_MS", 10_000, 1);
    return store.migrate()
      .compose(v -> changes.listen())
      // One timer per replica for the housekeeping every replica shares: both sweeps tolerate racing replicas.
      .onSuccess(v -> sweeps = Housekeeping.start(vertx, sweepMillis,
        () -> inFlight().track(recovery.sweep().eventually(keyExpiry::sweep))))
      .map(v -> {
        grpc = new OrderGrpc(vertx, saga, inFlight(), store, changes, config.getLong("TRACK_POLL_MS", 1_000, 1), log);
        return List.of(OrderServiceGrpcService.of(grpc));
      });
  }

  /** Open streams end at once, saying why, rather than hold the stop for its whole grace; sweeps stop. */
  @Override
  protected Future<Void> drain(long graceMillis) {
    if (grpc != null) {
      grpc.endStreams();
    }
    // No sweep starts while the work in flight is waited for: one would outlive the database.
    if (sweeps != null) {
      sweeps.stop();
    }
    return Future.succeededFuture();
  }

  @Override
  protected Future<Void> tearDown() {
    return changes != null ? changes.close() : Future.succeededFuture();
  }
}
