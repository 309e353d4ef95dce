package dev.shopmesh.gateway.http;

import dev.shopmesh.proto.catalog.v1.ListReservationsResponse;
import dev.shopmesh.proto.order.v1.Order;
import dev.shopmesh.proto.order.v1.OrderStatus;
import dev.shopmesh.proto.payment.v1.Charge;
import dev.shopmesh.proto.payment.v1.ChargeStatus;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AuditTest {

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
    JsonObject report = Audit.evaluate(
      List.of(order("a", OrderStatus.ORDER_STATUS_CONFIRMED), order("b", OrderStatus.ORDER_STATUS_REJECTED)),
      List.of(charge("c1", "a", ChargeStatus.CHARGE_STATUS_APPROVED), charge("c2", "b", ChargeStatus.CHARGE_STATUS_REFUNDED)),
      List.of(reserved("a", false), reserved("b", true)));
    JsonObject violations = report.getJsonObject("violations");
    violations.fieldNames().forEach(kind -> assertThat(violations.getJsonArray(kind)).as(kind).isEmpty());
    assertThat(report.getJsonObject("orders").getLong("confirmed")).isEqualTo(1);
    assertThat(report.getJsonObject("charges").getLong("refunded")).isEqualTo(1);
  }

  @Test
  void everyKindOfViolationIsReportedWithItsOrder() {
    JsonObject violations = Audit.evaluate(
      List.of(order("twice", OrderStatus.ORDER_STATUS_CONFIRMED), order("rejected", OrderStatus.ORDER_STATUS_REJECTED),
        order("unpaid", OrderStatus.ORDER_STATUS_CONFIRMED)),
      List.of(charge("c1", "twice", ChargeStatus.CHARGE_STATUS_APPROVED), charge("c2", "twice", ChargeStatus.CHARGE_STATUS_APPROVED),
        charge("c3", "rejected", ChargeStatus.CHARGE_STATUS_APPROVED)),
      List.of(reserved("rejected", false), reserved("ghost", false))).getJsonObject("violations");
    assertThat(violations.getJsonArray("doubleCharges").getJsonObject(0).getString("orderId")).isEqualTo("twice");
    assertThat(violations.getJsonArray("chargesWithoutConfirmedOrder").getJsonObject(0).getString("orderId")).isEqualTo("rejected");
    assertThat(violations.getJsonArray("confirmedWithoutCharge").getJsonObject(0).getString("orderId")).isEqualTo("unpaid");
    assertThat(violations.getJsonArray("leakedStock")).hasSize(2);
    assertThat(violations.getJsonArray("leakedStock").getJsonObject(1).getString("orderStatus")).isEqualTo("MISSING");
  }
}
