package dev.shopmesh.gateway.audit;

import dev.shopmesh.platform.error.Failure;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.proto.catalog.v1.ListReservationsResponse;
import dev.shopmesh.proto.order.v1.ListOrdersResponse;
import dev.shopmesh.proto.order.v1.OrderStatus;
import dev.shopmesh.proto.payment.v1.ChargeStatus;
import dev.shopmesh.proto.payment.v1.ListChargesResponse;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static dev.shopmesh.gateway.audit.TallyTest.charge;
import static dev.shopmesh.gateway.audit.TallyTest.order;
import static dev.shopmesh.gateway.audit.TallyTest.reserved;
import static org.assertj.core.api.Assertions.assertThat;

/** The audit walks three services' record streams side by side, each in order id order, holding little of them. */
@ExtendWith(VertxExtension.class)
class AuditWalkTest {

  static ListOrdersResponse anOrder(String id, OrderStatus status) {
    return ListOrdersResponse.newBuilder().setOrder(order(id, status)).build();
  }

  static ListChargesResponse aCharge(String id, String orderId, ChargeStatus status) {
    return ListChargesResponse.newBuilder().setCharge(charge(id, orderId, status)).build();
  }

  @Test
  void recordsOfOneOrderAreJudgedTogetherWhereverTheyFallInTheirStreams(Vertx vertx) {
    ListStream<ListOrdersResponse> orders = new ListStream<>(vertx, List.of(anOrder("a", OrderStatus.ORDER_STATUS_CONFIRMED),
      anOrder("rejected", OrderStatus.ORDER_STATUS_REJECTED), anOrder("twice", OrderStatus.ORDER_STATUS_CONFIRMED),
      anOrder("unpaid", OrderStatus.ORDER_STATUS_CONFIRMED)));
    ListStream<ListChargesResponse> charges = new ListStream<>(vertx, List.of(aCharge("c0", "a", ChargeStatus.CHARGE_STATUS_APPROVED),
      aCharge("c3", "rejected", ChargeStatus.CHARGE_STATUS_APPROVED), aCharge("c1", "twice", ChargeStatus.CHARGE_STATUS_APPROVED),
      aCharge("c2", "twice", ChargeStatus.CHARGE_STATUS_APPROVED)));
    ListStream<ListReservationsResponse> lines = new ListStream<>(vertx, List.of(reserved("a", false), reserved("ghost", false),
      reserved("rejected", false)));

    JsonObject report = Await.result(audit(vertx, orders, charges, lines));

    JsonObject counts = report.getJsonObject("violationCounts");
    assertThat(counts.getLong("doubleCharges")).isEqualTo(1);
    assertThat(counts.getLong("chargesWithoutConfirmedOrder")).isEqualTo(1);
    assertThat(counts.getLong("confirmedWithoutCharge")).isEqualTo(1);
    assertThat(counts.getLong("leakedStock")).isEqualTo(2);
    assertThat(report.getJsonObject("violations").getJsonArray("leakedStock").getJsonObject(0).getString("orderStatus"))
      .isEqualTo("MISSING");
    assertThat(report.getJsonObject("orders").getLong("total")).isEqualTo(4);
    assertThat(report.getJsonObject("charges").getLong("approved")).isEqualTo(4);
  }

  @Test
  void aStreamThatRunsAheadIsPausedInsteadOfHeld(Vertx vertx) {
    int n = 5_000;
    List<String> ids = IntStream.range(0, n).mapToObj(i -> String.format("order-%05d", i)).toList();
    ListStream<ListOrdersResponse> orders = new ListStream<>(vertx, ids.stream()
      .map(id -> anOrder(id, OrderStatus.ORDER_STATUS_CONFIRMED)).toList());
    ListStream<ListChargesResponse> charges = new ListStream<>(vertx, ids.stream()
      .map(id -> aCharge("c-" + id, id, ChargeStatus.CHARGE_STATUS_APPROVED)).toList());
    ListStream<ListReservationsResponse> lines = new ListStream<>(vertx, ids.stream().map(id -> reserved(id, false)).toList());
    charges.startAfterMillis = 200;
    int[] ordersSentBeforeCharges = new int[1];
    charges.onStart = () -> ordersSentBeforeCharges[0] = orders.sent;

    JsonObject report = Await.result(audit(vertx, orders, charges, lines));

    assertThat(report.getJsonObject("orders").getLong("confirmed")).isEqualTo(n);
    report.getJsonObject("violationCounts").forEach(count -> assertThat(count.getValue()).as(count.getKey()).isEqualTo(0L));
    // Without pausing, every order arrives while the charges have not begun.
    assertThat(ordersSentBeforeCharges[0]).isBetween(OrderedReader.WINDOW, OrderedReader.WINDOW + 1);
    assertThat(orders.pauses).isGreaterThan(1);
  }

  @Test
  void recordsOutOfOrderFailTheAuditAndAbandonTheOtherStreams(Vertx vertx) {
    ListStream<ListOrdersResponse> orders = new ListStream<>(vertx, List.of(anOrder("a", OrderStatus.ORDER_STATUS_CONFIRMED),
      anOrder("b", OrderStatus.ORDER_STATUS_CONFIRMED)));
    ListStream<ListChargesResponse> charges = new ListStream<>(vertx, List.of(aCharge("c2", "b", ChargeStatus.CHARGE_STATUS_APPROVED),
      aCharge("c1", "a", ChargeStatus.CHARGE_STATUS_APPROVED)));
    ListStream<ListReservationsResponse> lines = new ListStream<>(vertx, List.of());
    lines.startAfterMillis = 60_000;

    assertThat(Await.failure(audit(vertx, orders, charges, lines))).isInstanceOf(Failure.class).hasMessage("payment-service's charges arrived out of order (a after b): its database sorts ids"
        + " differently from the other services'");
    assertThat(lines.abandoned).isTrue();
  }

  @Test
  void aStreamThatFailsFailsTheAudit(Vertx vertx) {
    ListStream<ListOrdersResponse> orders = new ListStream<>(vertx, List.of(anOrder("a", OrderStatus.ORDER_STATUS_CONFIRMED)));
    ListStream<ListChargesResponse> charges = new ListStream<>(vertx, List.of());
    charges.failure = Failure.unavailable("payment-service is failing");
    ListStream<ListReservationsResponse> lines = new ListStream<>(vertx, List.of());
    lines.startAfterMillis = 60_000;

    assertThat(Await.failure(audit(vertx, orders, charges, lines))).hasMessage("payment-service is failing");
    assertThat(lines.abandoned).isTrue();
  }

  /** The audit, run on one event loop as the gateway runs it. */
  static Future<JsonObject> audit(Vertx vertx, ListStream<ListOrdersResponse> orders, ListStream<ListChargesResponse> charges,
                                  ListStream<ListReservationsResponse> lines) {
    Promise<JsonObject> report = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> Audit.of(orders, charges, lines).onComplete(report));
    return report.future();
  }

  /**
   * A service's stream: its records sent on the event loop as fast as its reader takes them (at
   * once again when resumed, as a Vert.x stream may), then its end, or its failure.
   */
  static final class ListStream<T> implements ReadStream<T>, Audit.Source<T> {
    final Vertx vertx;
    final List<T> records;
    final Promise<Void> ended = Promise.promise();
    long startAfterMillis;
    Runnable onStart = () -> { };
    Throwable failure;
    Handler<T> handler;
    boolean paused;
    boolean abandoned;
    int sent;
    int pauses;

    ListStream(Vertx vertx, List<T> records) {
      this.vertx = vertx;
      this.records = new ArrayList<>(records);
    }

    @Override
    public Future<Void> read(Future<?> abandon, Handler<ReadStream<T>> reader) {
      reader.handle(this);
      abandon.onComplete(stop -> abandoned = !ended.future().isComplete());
      Handler<Long> start = id -> {
        onStart.run();
        pump();
      };
      if (startAfterMillis == 0) {
        vertx.runOnContext(v -> start.handle(0L));
      } else {
        vertx.setTimer(startAfterMillis, start);
      }
      return ended.future();
    }

    void pump() {
      while (!paused && sent < records.size() && !abandoned) {
        handler.handle(records.get(sent++));
      }
      if (sent == records.size()) {
        if (failure != null) {
          ended.tryFail(failure);
        } else {
          ended.tryComplete();
        }
      }
    }

    @Override
    public ReadStream<T> handler(Handler<T> handler) {
      this.handler = handler;
      return this;
    }

    @Override
    public ReadStream<T> pause() {
      paused = true;
      pauses++;
      return this;
    }

    @Override
    public ReadStream<T> resume() {
      paused = false;
      pump();
      return this;
    }

    @Override
    public ReadStream<T> fetch(long amount) {
      return resume();
    }

    @Override
    public ReadStream<T> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public ReadStream<T> endHandler(Handler<Void> endHandler) {
      return this;
    }
  }
}
