package dev.shopmesh.cli;

import dev.shopmesh.cli.AuditReport.OrderCheck;
import dev.shopmesh.cli.AuditReport.OrderState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditReportTest {

  /** An {@code /api/audit} answer in the gateway's shape, without violations. */
  static JsonObject clean(int pending) {
    return new JsonObject()
      .put("orders", new JsonObject().put("total", 120).put("pending", pending).put("confirmed", 100)
        .put("rejected", 20 - pending).put("cancelled", 0))
      .put("charges", new JsonObject().put("total", 110).put("approved", 100).put("refunded", 5).put("declined", 5))
      .put("violations", new JsonObject()
        .put("doubleCharges", new JsonArray())
        .put("chargesWithoutConfirmedOrder", new JsonArray())
        .put("confirmedWithoutCharge", new JsonArray())
        .put("leakedStock", new JsonArray()));
  }

  private static JsonObject withViolations(String kind, JsonObject... entries) {
    JsonObject audit = clean(0);
    JsonArray list = audit.getJsonObject("violations").getJsonArray(kind);
    for (JsonObject entry : entries) {
      list.add(entry);
    }
    return audit;
  }

  private static List<OrderCheck> allFinal(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> new OrderCheck("o-" + i, OrderState.FINAL, "CONFIRMED")).toList();
  }

  @Test
  void allGoodPasses() throws Exception {
    AuditReport report = AuditReport.evaluate(clean(0), allFinal(1000), "orders.acked");

    assertThat(report.passed()).isTrue();
    assertThat(report.lines()).containsExactly(
      "lost orders: 0 (of 1000 acknowledged)",
      "double charges: 0",
      "charges without a confirmed order: 0",
      "confirmed orders without a charge: 0",
      "leaked stock: 0 reservations",
      "orders still pending: 0",
      "AUDIT PASSED: 0 lost orders, 0 double charges, 0 leaked stock");
  }

  @Test
  void aDoubleChargeFails() throws Exception {
    AuditReport report = AuditReport.evaluate(
      withViolations("doubleCharges", new JsonObject().put("orderId", "o-9").put("approvedCharges", 2)), allFinal(3), "ids");

    assertThat(report.passed()).isFalse();
    assertThat(report.lines()).contains("double charges: 1: o-9 (2 approved charges)");
    assertThat(report.verdict()).isEqualTo("AUDIT FAILED: 1 double charge");
  }

  @Test
  void aChargeWithoutAConfirmedOrderFails() throws Exception {
    AuditReport report = AuditReport.evaluate(withViolations("chargesWithoutConfirmedOrder",
      new JsonObject().put("orderId", "o-4").put("chargeId", "c-4").put("status", "APPROVED"),
      new JsonObject().put("orderId", "o-5").put("chargeId", "c-5").put("status", "APPROVED")), allFinal(3), "ids");

    assertThat(report.passed()).isFalse();
    assertThat(report.lines()).contains(
      "charges without a confirmed order: 2: charge c-4 of order o-4 (APPROVED), charge c-5 of order o-5 (APPROVED)");
    assertThat(report.verdict()).isEqualTo("AUDIT FAILED: 2 charges without a confirmed order");
  }

  @Test
  void aConfirmedOrderWithoutAChargeFails() throws Exception {
    AuditReport report = AuditReport.evaluate(
      withViolations("confirmedWithoutCharge", new JsonObject().put("orderId", "o-2")), allFinal(3), "ids");

    assertThat(report.passed()).isFalse();
    assertThat(report.lines()).contains("confirmed orders without a charge: 1: o-2");
    assertThat(report.verdict()).isEqualTo("AUDIT FAILED: 1 confirmed order without a charge");
  }

  @Test
  void leakedStockFailsAndShowsTheFirstFewReservations() throws Exception {
    JsonObject[] leaks = IntStream.rangeClosed(1, 7).mapToObj(i -> new JsonObject().put("reservationId", "r-" + i)
      .put("productId", "p-1").put("quantity", 2).put("orderStatus", "REJECTED")).toArray(JsonObject[]::new);

    AuditReport report = AuditReport.evaluate(withViolations("leakedStock", leaks), allFinal(3), "ids");

    assertThat(report.passed()).isFalse();
    assertThat(report.lines()).contains("leaked stock: 7 reservations: r-1 (2 x p-1, order REJECTED), "
      + "r-2 (2 x p-1, order REJECTED), r-3 (2 x p-1, order REJECTED), r-4 (2 x p-1, order REJECTED), "
      + "r-5 (2 x p-1, order REJECTED) and 2 more");
    assertThat(report.verdict()).isEqualTo("AUDIT FAILED: 7 leaked stock reservations");
  }

  @Test
  void violationsBeyondThoseTheGatewayNamesAreCountedFromItsCounts() throws Exception {
    JsonObject audit = withViolations("doubleCharges", new JsonObject().put("orderId", "o-1").put("approvedCharges", 2));
    audit.put("violationCounts", new JsonObject().put("doubleCharges", 1500).put("chargesWithoutConfirmedOrder", 0)
      .put("confirmedWithoutCharge", 0).put("leakedStock", 0));

    AuditReport report = AuditReport.evaluate(audit, allFinal(3), "ids");

    assertThat(report.lines()).contains("double charges: 1500: o-1 (2 approved charges) and 1499 more");
    assertThat(report.verdict()).isEqualTo("AUDIT FAILED: 1500 double charges");
  }

  @Test
  void acknowledgedOrdersNotFoundOrStillPendingAreLost() throws Exception {
    List<OrderCheck> checks = List.of(
      new OrderCheck("o-1", OrderState.FINAL, "CONFIRMED"),
      new OrderCheck("o-2", OrderState.NOT_FOUND, "HTTP 404"),
      new OrderCheck("o-3", OrderState.FINAL, "REJECTED"),
      new OrderCheck("o-4", OrderState.PENDING, "PENDING"));

    AuditReport report = AuditReport.evaluate(clean(0), checks, "ids");

    assertThat(report.passed()).isFalse();
    assertThat(report.lines().get(0)).isEqualTo("lost orders: 2 (of 4 acknowledged): 1 not found, 1 still pending: o-2, o-4");
    assertThat(report.verdict()).isEqualTo("AUDIT FAILED: 2 lost orders");
  }

  /** The ids of another mesh (its data removed since): every one not found, said so beside the failure. */
  @Test
  void idsNoneOfWhichIsKnownAreLostWithTheLikelierReadingSaid() throws Exception {
    AuditReport report = AuditReport.evaluate(clean(0), List.of(new OrderCheck("o-1", OrderState.NOT_FOUND, "HTTP 404"),
      new OrderCheck("o-2", OrderState.NOT_FOUND, "HTTP 404")), "ids");

    assertThat(report.passed()).isFalse();
    assertThat(report.lines().get(0)).isEqualTo("lost orders: 2 (of 2 acknowledged): 2 not found, 0 still pending: o-1, o-2"
      + " (none of them is known here: ids from another mesh, or one whose data was removed since? ./shopmesh order writes"
      + " the ids of a new run)");
    assertThat(AuditReport.evaluate(clean(0), List.of(new OrderCheck("o-1", OrderState.NOT_FOUND, "HTTP 404"),
      new OrderCheck("o-2", OrderState.FINAL, "CONFIRMED")), "ids").lines().get(0)).as("some known: lost, no more said")
      .doesNotContain("another mesh");
  }

  @Test
  void ordersStillPendingAfterTheSettlingFail() throws Exception {
    List<OrderCheck> checks = List.of(
      new OrderCheck("o-1", OrderState.FINAL, "CONFIRMED"),
      new OrderCheck("o-2", OrderState.PENDING, "PENDING"));

    AuditReport report = AuditReport.evaluate(clean(3), checks, "ids");

    assertThat(report.passed()).isFalse();
    assertThat(report.lines()).contains("orders still pending: 3");
    assertThat(report.verdict()).isEqualTo("AUDIT FAILED: 1 lost order, 3 orders still pending");
  }

  @Test
  void everyFailureIsNamedInTheVerdict() throws Exception {
    JsonObject audit = clean(1);
    JsonObject violations = audit.getJsonObject("violations");
    violations.getJsonArray("doubleCharges").add(new JsonObject().put("orderId", "o-1").put("approvedCharges", 2))
      .add(new JsonObject().put("orderId", "o-2").put("approvedCharges", 3));
    violations.getJsonArray("chargesWithoutConfirmedOrder").add(new JsonObject().put("orderId", "o-3").put("chargeId", "c").put("status", "APPROVED"));
    violations.getJsonArray("confirmedWithoutCharge").add(new JsonObject().put("orderId", "o-4"));
    violations.getJsonArray("leakedStock").add(new JsonObject().put("reservationId", "r").put("productId", "p").put("quantity", 1).put("orderStatus", "REJECTED"));

    AuditReport report = AuditReport.evaluate(audit, List.of(new OrderCheck("o-9", OrderState.NOT_FOUND, "HTTP 404")), "ids");

    assertThat(report.verdict()).isEqualTo("AUDIT FAILED: 1 lost order, 2 double charges, 1 charge without a confirmed order, "
      + "1 confirmed order without a charge, 1 leaked stock reservation, 1 order still pending");
    assertThat(report.lines()).last().isEqualTo(report.verdict());
    assertThat(report.lines()).hasSize(7);
  }

  @Test
  void ordersThatCouldNotBeCheckedFailTheAudit() throws Exception {
    AuditReport report = AuditReport.evaluate(clean(0),
      List.of(new OrderCheck("o-1", OrderState.FINAL, "CONFIRMED"), new OrderCheck("o-2", OrderState.UNCHECKED, "HTTP 500")), "ids");

    assertThat(report.passed()).isFalse();
    assertThat(report.lines()).contains("lost orders: 0 (of 2 acknowledged)", "orders not checked: 1: o-2 (HTTP 500)");
    assertThat(report.verdict()).isEqualTo("AUDIT FAILED: 1 order not checked");
  }

  @Test
  void withoutAnIdsFileOnlyTheServerSideIsAudited() throws Exception {
    AuditReport report = AuditReport.evaluate(clean(0), null, "orders.acked");

    assertThat(report.passed()).isTrue();
    assertThat(report.lines().get(0)).isEqualTo(
      "lost orders: not checked (no ids file orders.acked; only the server-side invariants are audited)");
    assertThat(report.verdict()).isEqualTo("AUDIT PASSED: 0 double charges, 0 leaked stock (lost orders not checked: no ids file)");
  }

  /** What an order run that reached no gateway leaves: "0 (of 0 acknowledged)" read as a pass of that check. */
  @Test
  void anEmptyIdsFileSaysLostOrdersWereNotChecked() throws Exception {
    AuditReport report = AuditReport.evaluate(clean(0), List.of(), "orders.acked");

    assertThat(report.passed()).isTrue();
    assertThat(report.lines().get(0)).isEqualTo("lost orders: not checked (the ids file orders.acked is empty: the last"
      + " ./shopmesh order acknowledged no order; only the server-side invariants are audited)");
    assertThat(report.verdict()).isEqualTo(
      "AUDIT PASSED: 0 double charges, 0 leaked stock (lost orders not checked: no acknowledged order in the ids file)");
  }

  @Test
  void anAuditWithoutItsSectionsIsMalformed() {
    JsonObject noViolations = clean(0);
    noViolations.remove("violations");
    JsonObject noLeakedStock = clean(0);
    noLeakedStock.getJsonObject("violations").remove("leakedStock");

    assertThatThrownBy(() -> AuditReport.evaluate(new JsonObject(), null, "ids"))
      .isInstanceOf(AuditReport.MalformedAuditException.class).hasMessageContaining("orders");
    assertThatThrownBy(() -> AuditReport.pendingOf(new JsonObject().put("orders", new JsonObject().put("pending", "none"))))
      .isInstanceOf(AuditReport.MalformedAuditException.class).hasMessageContaining("orders.pending");
    assertThatThrownBy(() -> AuditReport.evaluate(noViolations, null, "ids"))
      .isInstanceOf(AuditReport.MalformedAuditException.class).hasMessageContaining("violations");
    assertThatThrownBy(() -> AuditReport.evaluate(noLeakedStock, null, "ids"))
      .isInstanceOf(AuditReport.MalformedAuditException.class).hasMessageContaining("violations.leakedStock");
  }
}
