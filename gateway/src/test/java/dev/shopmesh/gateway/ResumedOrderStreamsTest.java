package dev.shopmesh.gateway;

import dev.shopmesh.order.OrderVerticle;
import dev.shopmesh.platform.boot.MeshContext;
import dev.shopmesh.platform.boot.MeshVerticle;
import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.TestConfig;
import dev.shopmesh.proto.order.v1.Order;
import dev.shopmesh.proto.order.v1.OrderServiceGrpcClient;
import dev.shopmesh.proto.order.v1.OrderServiceGrpcService;
import dev.shopmesh.proto.order.v1.OrderServiceService;
import dev.shopmesh.proto.order.v1.OrderStatus;
import dev.shopmesh.proto.order.v1.PlaceOrderResponse;
import dev.shopmesh.proto.order.v1.TrackOrdersRequest;
import dev.shopmesh.proto.order.v1.TrackOrdersResponse;
import dev.shopmesh.proto.order.v1.WatchOrderRequest;
import dev.shopmesh.proto.order.v1.WatchOrderResponse;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.server.GrpcServerResponse;
import io.vertx.grpc.server.Service;
import io.vertx.grpc.server.StatusException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An order followed through the gateway while the order-service replica serving its stream stops,
 * as in a rolling restart: the gateway opens the stream again on the other replica, and the client
 * sees the order's states once each and the stream's normal end. It used to end UNAVAILABLE, and
 * each client had to open it again itself.
 */
class ResumedOrderStreamsTest {

  @TempDir
  Path data;

  @Test
  void aWatchOrderStreamOutlivesTheReplicaServingIt() {
    following((mesh, id) -> {
      Follower<WatchOrderResponse> watch = new Follower<>();
      mesh.onEventLoop(() -> OrderServiceGrpcClient.create(mesh.grpc(), mesh.grpcAddress())
        .watchOrder(WatchOrderRequest.newBuilder().setId(id).build()).onComplete(watch::follow));
      return watch;
    }, (mesh, follower) -> { });
  }

  @Test
  void aTrackOrdersStreamOutlivesTheReplicaServingIt() {
    Promise<GrpcClientRequest<TrackOrdersRequest, TrackOrdersResponse>> opened = Promise.promise();
    following((mesh, id) -> {
      Follower<TrackOrdersResponse> track = new Follower<>();
      GrpcClientRequest<TrackOrdersRequest, TrackOrdersResponse> call =
        Await.result(mesh.grpc().request(mesh.grpcAddress(), OrderServiceGrpcClient.TrackOrders));
      call.response().onComplete(track::follow);
      call.write(TrackOrdersRequest.newBuilder().setAddOrderId(id).build());
      opened.complete(call);
      return track;
    }, (mesh, follower) -> Await.result(opened.future()).end());
  }

  /**
   * A replica that resets its stream, as one does whose stop ran out of grace: the gateway resumes
   * on a replica that answers, and the order's state, which the client already has, is not sent
   * again. The client read CANCELLED, a status it reads as its own doing.
   */
  @Test
  void aWatchOrderStreamResetByItsReplicaGoesOnOnAnother() {
    Config config = TestConfig.in(data);
    try (TestMesh mesh = TestMesh.start(config)) {
      String customer = "lost-" + UUID.randomUUID();
      Await.result(OrderServiceGrpcClient.create(mesh.grpc(), mesh.grpcAddress())
        .placeOrder(GrpcApiTest.order(Shop.newProduct(mesh, 100, 5), 1, Shop.APPROVED_CARD).toBuilder().setCustomerId(customer).build()));
      Order confirmed = Shop.orderOf(mesh, customer);
      mesh.stop("order-service");
      Promise<Void> lose = Promise.promise();
      LosingOrders losing = new LosingOrders(config, confirmed, lose.future());
      mesh.deploy(losing);
      // By its port: the stopped replica can still be in the gateway's view for a moment, and a
      // count of one replica read then let the watch go to it (a flaky CI run).
      Await.until("the gateway seeing the losing replica alone", Duration.ofSeconds(10),
        () -> mesh.replicaAddresses("order-service").equals(List.of(mesh.hostPort(losing))));

      Follower<WatchOrderResponse> watch = new Follower<>();
      mesh.onEventLoop(() -> mesh.grpc().request(mesh.grpcAddress(), OrderServiceGrpcClient.WatchOrder)
        .compose(call -> call.send(WatchOrderRequest.newBuilder().setId(confirmed.getId()).build())).onComplete(watch::follow));
      Await.until("the order's state", Duration.ofSeconds(10), () -> watch.seen.size() == 1);
      mesh.deploy(new OrderVerticle(config));
      Await.until("the gateway seeing two order-service replicas", Duration.ofSeconds(10), () -> replicas(mesh, "order-service") == 2);
      lose.complete();

      Await.result(watch.ended.future());
      assertThat(watch.seen).containsExactly(OrderStatus.ORDER_STATUS_CONFIRMED);
    }
  }

  /**
   * A rolling restart of order-service, one replica after another, while an order stays pending: each
   * replica lost is a break of its own, however long after the one before. Counted as one break,
   * the second came past the resume window (the deadline, here 2.5 s) of the first, and the stream
   * ended UNAVAILABLE, as the state the resumed call answered was the one the client had.
   */
  @Test
  void aWatchOrderStreamOutlivesReplicasLostOneAfterAnother() {
    // Short enough to wait out twice, long enough for a loaded machine to resume within.
    Config config = TestConfig.in(data).with("RPC_DEADLINE_MS", "2500");
    try (TestMesh mesh = TestMesh.start(config)) {
      Order pending = Order.newBuilder().setId("rolling-" + UUID.randomUUID()).setStatus(OrderStatus.ORDER_STATUS_PENDING).build();
      mesh.stop("order-service");
      Promise<Void> loseFirst = Promise.promise();
      LosingOrders first = new LosingOrders(config, pending, loseFirst.future());
      mesh.deploy(first);
      Await.until("the gateway seeing the first replica alone", Duration.ofSeconds(10),
        () -> mesh.replicaAddresses("order-service").equals(List.of(mesh.hostPort(first))));
      Follower<WatchOrderResponse> watch = new Follower<>();
      mesh.onEventLoop(() -> mesh.grpc().request(mesh.grpcAddress(), OrderServiceGrpcClient.WatchOrder)
        .compose(call -> call.send(WatchOrderRequest.newBuilder().setId(pending.getId()).build())).onComplete(watch::follow));
      Await.until("the pending order", Duration.ofSeconds(10), () -> watch.seen.size() == 1);

      Promise<Void> loseSecond = Promise.promise();
      LosingOrders second = new LosingOrders(config, pending, loseSecond.future());
      mesh.deploy(second);
      Await.until("the gateway seeing two order-service replicas", Duration.ofSeconds(10), () -> replicas(mesh, "order-service") == 2);
      loseFirst.complete();
      Await.until("the stream resumed on the second replica", Duration.ofSeconds(10), () -> second.watched.get() > 0);
      long resumed = System.nanoTime();
      // Twice the resume window after the first break, with nothing new relayed since.
      Await.until("five seconds on the second replica", Duration.ofSeconds(15), () -> System.nanoTime() - resumed > 5_000_000_000L);

      mesh.deploy(new LosingOrders(config, pending.toBuilder().setStatus(OrderStatus.ORDER_STATUS_CONFIRMED).build(), null));
      Await.until("the gateway seeing a third replica", Duration.ofSeconds(10), () -> replicas(mesh, "order-service") == 3);
      loseSecond.complete();

      Await.result(watch.ended.future());
      assertThat(watch.seen).containsExactly(OrderStatus.ORDER_STATUS_PENDING, OrderStatus.ORDER_STATUS_CONFIRMED);
    }
  }

  /**
   * An order-service whose WatchOrder answers {@code order} as it stands and then, once {@code lost}
   * completes, resets the stream; a later WatchOrder is reset at once. With no {@code lost}, the
   * order is final: the stream ends after it.
   */
  static final class LosingOrders extends MeshVerticle {
    private final Order order;
    private final Future<Void> lost;
    final AtomicInteger watched = new AtomicInteger();

    LosingOrders(Config config, Order order, Future<Void> lost) {
      super("order-service", config);
      this.order = order;
      this.lost = lost;
    }

    @Override
    protected Future<List<Service>> setUp(MeshContext context) {
      return Future.succeededFuture(List.of(OrderServiceGrpcService.of(new OrderServiceService() {
        @Override
        protected void watchOrder(WatchOrderRequest request, WriteStream<WatchOrderResponse> response) {
          if (lost == null) {
            response.end(WatchOrderResponse.newBuilder().setOrder(order).build());
            return;
          }
          if (lost.isComplete()) {
            ((GrpcServerResponse<?, ?>) response).cancel();
            return;
          }
          watched.incrementAndGet();
          response.write(WatchOrderResponse.newBuilder().setOrder(order).build());
          lost.onComplete(v -> ((GrpcServerResponse<?, ?>) response).cancel());
        }
      })));
    }
  }

  /** A stream that cannot open at all is answered at once, not after trying for a deadline. */
  @Test
  void aStreamWithNoReplicaToOpenOnFailsAtOnce() {
    try (TestMesh mesh = TestMesh.start(TestConfig.in(data))) {
      mesh.stop("order-service");
      long start = System.nanoTime();
      Follower<WatchOrderResponse> watch = new Follower<>();
      mesh.onEventLoop(() -> mesh.grpc().request(mesh.grpcAddress(), OrderServiceGrpcClient.WatchOrder)
        .compose(call -> call.send(WatchOrderRequest.newBuilder().setId("o-1").build())).onComplete(watch::follow));
      StatusException status = (StatusException) Await.failure(watch.ended.future());
      assertThat(status.status()).isEqualTo(io.vertx.grpc.common.GrpcStatus.UNAVAILABLE);
      assertThat(status.message()).isEqualTo("no replica of order-service is registered");
      assertThat((System.nanoTime() - start) / 1_000_000).as("ms to the answer").isLessThan(1_000);
    }
  }

  /** What a follower read, and how its stream ended. */
  static final class Follower<T> {
    final List<OrderStatus> seen = new CopyOnWriteArrayList<>();
    final Promise<Void> ended = Promise.promise();

    void follow(AsyncResult<? extends ReadStream<T>> opened) {
      if (opened.failed()) {
        ended.fail(opened.cause());
        return;
      }
      Shop.follow(opened.result(), message -> seen.add(message instanceof WatchOrderResponse w ? w.getOrder().getStatus()
        : ((TrackOrdersResponse) message).getOrder().getStatus()), ended);
    }
  }

  interface Follow {
    Follower<?> start(TestMesh mesh, String orderId);
  }

  /**
   * An order placed while payment-service takes 3 s to answer, followed through the gateway on the
   * one order-service replica; a second replica joins, and the first stops while the order is
   * pending (finishing its saga first); {@code onOutcome} runs once the outcome was read.
   */
  private void following(Follow follow, java.util.function.BiConsumer<TestMesh, Follower<?>> onOutcome) {
    Config config = TestConfig.in(data).with("FAULT_CHARGE_REPLY_DELAY_MS", "3000");
    try (TestMesh mesh = TestMesh.start(config)) {
      String customer = "resumed-" + UUID.randomUUID();
      Future<PlaceOrderResponse> placed = OrderServiceGrpcClient.create(mesh.grpc(), mesh.grpcAddress())
        .placeOrder(GrpcApiTest.order(Shop.newProduct(mesh, 100, 5), 1, Shop.APPROVED_CARD).toBuilder().setCustomerId(customer).build());
      Order pending = Await.value("the order, pending", Duration.ofSeconds(10), () -> Shop.orderOf(mesh, customer), o -> o != null);
      Follower<?> follower = follow.start(mesh, pending.getId());
      Await.until("the pending order", Duration.ofSeconds(10), () -> follower.seen.size() == 1);

      mesh.deploy(new OrderVerticle(config));
      Await.until("the gateway seeing two order-service replicas", Duration.ofSeconds(10), () -> replicas(mesh, "order-service") == 2);
      mesh.stop("order-service");

      Await.until("the order's outcome", Duration.ofSeconds(15), () -> follower.seen.size() >= 2);
      onOutcome.accept(mesh, follower);
      Await.result(follower.ended.future());
      assertThat(follower.seen).containsExactly(OrderStatus.ORDER_STATUS_PENDING, OrderStatus.ORDER_STATUS_CONFIRMED);
      assertThat(Await.result(placed).getOrder().getStatus()).isEqualTo(OrderStatus.ORDER_STATUS_CONFIRMED);
    }
  }

  private static long replicas(TestMesh mesh, String service) {
    return mesh.replicaAddresses(service).size();
  }
}
