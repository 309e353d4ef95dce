package dev.shopmesh.gateway.audit;

import dev.shopmesh.proto.catalog.v1.ListReservationsResponse;
import dev.shopmesh.proto.order.v1.Order;
import dev.shopmesh.proto.order.v1.OrderStatus;
import dev.shopmesh.proto.payment.v1.Charge;
import dev.shopmesh.proto.payment.v1.ChargeStatus;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TallyTest {

  static Order order(String id, OrderStatus status) {
    return Order.newBuilder().setId(id).setStatus(status).build();
  }

  static Charge charge(String id, String orderId, ChargeStatus status) {
    return Charge.newBuilder().setId(id).setOrderId(orderId).setStatus(status).build();
  }

  static ListReservationsResponse reserved(String orderId, boolean released) {
    return ListReservationsResponse.newBuilder().setReservationId(orderId).setProductId("mug").setQuantity(1)
      .setReleased(released).build();
  }

  @Test
  void aConsistentShopHasNoViolations() {
    Tally tally = new Tally();
    tally.add(List.of(order("a", OrderStatus.ORDER_STATUS_CONFIRMED)), List.of(charge("c1", "a", ChargeStatus.CHARGE_STATUS_APPROVED)),
      List.of(reserved("a", false)));
    tally.add(List.of(order("b", OrderStatus.ORDER_STATUS_REJECTED)), List.of(charge("c2", "b", ChargeStatus.CHARGE_STATUS_REFUNDED)),
      List.of(reserved("b", true)));
    JsonObject report = tally.report();
    JsonObject violations = report.getJsonObject("violations");
    violations.fieldNames().forEach(kind -> assertThat(violations.getJsonArray(kind)).as(kind).isEmpty());
    report.getJsonObject("violationCounts").forEach(count -> assertThat(count.getValue()).as(count.getKey()).isEqualTo(0L));
    assertThat(report.getJsonObject("orders").getLong("confirmed")).isEqualTo(1);
    assertThat(report.getJsonObject("orders").getLong("total")).isEqualTo(2);
    assertThat(report.getJsonObject("charges").getLong("refunded")).isEqualTo(1);
  }

  @Test
  void everyKindOfViolationIsReportedWithItsOrder() {
    Tally tally = new Tally();
    tally.add(List.of(), List.of(), List.of(reserved("ghost", false)));
    tally.add(List.of(order("rejected", OrderStatus.ORDER_STATUS_REJECTED)),
      List.of(charge("c3", "rejected", ChargeStatus.CHARGE_STATUS_APPROVED)), List.of(reserved("rejected", false)));
    tally.add(List.of(order("twice", OrderStatus.ORDER_STATUS_CONFIRMED)),
      List.of(charge("c1", "twice", ChargeStatus.CHARGE_STATUS_APPROVED), charge("c2", "twice", ChargeStatus.CHARGE_STATUS_APPROVED)),
      List.of());
    tally.add(List.of(order("unpaid", OrderStatus.ORDER_STATUS_CONFIRMED)), List.of(), List.of());
    JsonObject violations = tally.report().getJsonObject("violations");
    assertThat(violations.getJsonArray("doubleCharges").getJsonObject(0).getString("orderId")).isEqualTo("twice");
    assertThat(violations.getJsonArray("doubleCharges").getJsonObject(0).getInteger("approvedCharges")).isEqualTo(2);
    assertThat(violations.getJsonArray("chargesWithoutConfirmedOrder").getJsonObject(0).getString("orderId")).isEqualTo("rejected");
    assertThat(violations.getJsonArray("confirmedWithoutCharge").getJsonObject(0).getString("orderId")).isEqualTo("unpaid");
    assertThat(violations.getJsonArray("leakedStock")).hasSize(2);
    assertThat(violations.getJsonArray("leakedStock").getJsonObject(0).getString("orderStatus")).isEqualTo("MISSING");
    assertThat(violations.getJsonArray("leakedStock").getJsonObject(1).getString("orderStatus")).isEqualTo("REJECTED");
  }

  @Test
  void aKindNamesItsFirstThousandViolationsAndCountsThemAll() {
    Tally tally = new Tally();
    for (int i = 0; i < Tally.LISTED + 500; i++) {
      tally.add(List.of(order(String.format("o%05d", i), OrderStatus.ORDER_STATUS_CONFIRMED)), List.of(), List.of());
    }
    JsonObject report = tally.report();
    assertThat(report.getJsonObject("violations").getJsonArray("confirmedWithoutCharge")).hasSize(Tally.LISTED);
    assertThat(report.getJsonObject("violations").getJsonArray("confirmedWithoutCharge").getJsonObject(0).getString("orderId"))
      .isEqualTo("o00000");
    assertThat(report.getJsonObject("violationCounts").getLong("confirmedWithoutCharge")).isEqualTo(Tally.LISTED + 500L);
  }
}
