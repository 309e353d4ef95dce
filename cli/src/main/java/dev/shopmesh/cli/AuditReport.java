package dev.shopmesh.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The verdict of {@code shopmesh audit}: the gateway's {@code GET /api/audit} answer (taken once the
 * orders settled, or the wait for that ended), and what {@code GET /api/orders/{id}} said of each
 * acknowledged order. One line per invariant, then the verdict, last.
 */
final class AuditReport {

  /** How many offending ids a line names. */
  static final int SHOWN = 5;

  /** What the gateway said of one acknowledged order. */
  enum OrderState {
    /** Found, in a final status. */
    FINAL,
    /** Found, but still PENDING after the settling. */
    PENDING,
    /** 404: the gateway acknowledged the order, and has lost it. */
    NOT_FOUND,
    /** Could not be checked: no answer, or another status. */
    UNCHECKED
  }

  /** @param detail the order's status, or why it could not be checked */
  record OrderCheck(String orderId, OrderState state, String detail) {
  }

  /** The {@code /api/audit} answer lacks something the audit needs. */
  static final class MalformedAuditException extends Exception {
    MalformedAuditException(String message) {
      super(message);
    }
  }

  private final List<String> lines;
  private final String verdict;
  private final boolean passed;

  private AuditReport(List<String> lines, String verdict, boolean passed) {
    this.lines = List.copyOf(lines);
    this.verdict = verdict;
    this.passed = passed;
  }

  /** The invariant lines, then the verdict. */
  List<String> lines() {
    List<String> all = new ArrayList<>(lines);
    all.add(verdict);
    return all;
  }

  String verdict() {
    return verdict;
  }

  boolean passed() {
    return passed;
  }

  /** {@code orders.pending} of an {@code /api/audit} answer. */
  static int pendingOf(JsonObject audit) throws MalformedAuditException {
    return integer(section(audit, "orders"), "orders", "pending");
  }

  /**
   * The compensations an {@code /api/audit} answer shows still owed: approved charges of orders not
   * confirmed, and stock held by orders that failed. order-service's sweep makes them; one left
   * once the mesh has settled is a leak.
   */
  static int owedOf(JsonObject audit) throws MalformedAuditException {
    JsonObject violations = section(audit, "violations");
    JsonObject counts = audit.getValue("violationCounts") instanceof JsonObject c ? c : new JsonObject();
    return offenders(violations, counts, "chargesWithoutConfirmedOrder").count() + offenders(violations, counts, "leakedStock").count();
  }

  /**
   * @param checks   what the gateway said of each acknowledged order; null when there was no ids
   *                 file, and only the server-side invariants are audited
   * @param idsFile  the ids file, as the user named it
   */
  static AuditReport evaluate(JsonObject audit, List<OrderCheck> checks, String idsFile) throws MalformedAuditException {
    int pending = pendingOf(audit);
    JsonObject violations = section(audit, "violations");
    // The gateway names the first violations of a kind and counts them all (gateways before the count named all).
    JsonObject counts = audit.getValue("violationCounts") instanceof JsonObject c ? c : new JsonObject();
    Offenders doubleCharges = offenders(violations, counts, "doubleCharges");
    Offenders chargesWithoutOrder = offenders(violations, counts, "chargesWithoutConfirmedOrder");
    Offenders confirmedWithoutCharge = offenders(violations, counts, "confirmedWithoutCharge");
    Offenders leakedStock = offenders(violations, counts, "leakedStock");

    List<String> lines = new ArrayList<>();
    List<String> failed = new ArrayList<>();

    int lost = 0;
    // An empty file is what an order run that acknowledged nothing leaves (it empties the file
    // first): "0 of 0 acknowledged" read as a pass of a check that had nothing to check.
    String notChecked = checks == null ? "no ids file " + idsFile
      : checks.isEmpty() ? "the ids file " + idsFile + " is empty: the last ./shopmesh order acknowledged no order" : null;
    if (notChecked != null) {
      lines.add("lost orders: not checked (" + notChecked + "; only the server-side invariants are audited)");
    } else {
      List<String> notFound = idsIn(checks, OrderState.NOT_FOUND);
      List<String> stillPending = idsIn(checks, OrderState.PENDING);
      lost = notFound.size() + stillPending.size();
      StringBuilder line = new StringBuilder("lost orders: " + lost + " (of " + checks.size() + " acknowledged)");
      if (lost > 0) {
        line.append(": ").append(notFound.size()).append(" not found, ").append(stillPending.size()).append(" still pending");
        List<String> both = new ArrayList<>(notFound);
        both.addAll(stillPending);
        line.append(": ").append(firstFew(both, both.size(), id -> id));
        if (notFound.size() == checks.size()) {
          // Still a failure (a mesh may lose them all), but the likelier reading first.
          line.append(" (none of them is known here: ids from another mesh, or one whose data was removed since?"
            + " ./shopmesh order writes the ids of a new run)");
        }
        failed.add(count(lost, "lost order", "lost orders"));
      }
      lines.add(line.toString());
      List<OrderCheck> unchecked = checks.stream().filter(c -> c.state() == OrderState.UNCHECKED).toList();
      if (!unchecked.isEmpty()) {
        lines.add("orders not checked: " + unchecked.size() + ": "
          + firstFew(unchecked, unchecked.size(), c -> c.orderId() + " (" + c.detail() + ")"));
        failed.add(count(unchecked.size(), "order not checked", "orders not checked"));
      }
    }

    lines.add(line("double charges", doubleCharges,
      v -> text(v, "orderId") + " (" + text(v, "approvedCharges") + " approved charges)"));
    if (doubleCharges.count() > 0) {
      failed.add(count(doubleCharges.count(), "double charge", "double charges"));
    }
    lines.add(line("charges without a confirmed order", chargesWithoutOrder,
      v -> "charge " + text(v, "chargeId") + " of order " + text(v, "orderId") + " (" + text(v, "status") + ")"));
    if (chargesWithoutOrder.count() > 0) {
      failed.add(count(chargesWithoutOrder.count(), "charge without a confirmed order", "charges without a confirmed order"));
    }
    lines.add(line("confirmed orders without a charge", confirmedWithoutCharge, v -> text(v, "orderId")));
    if (confirmedWithoutCharge.count() > 0) {
      failed.add(count(confirmedWithoutCharge.count(), "confirmed order without a charge", "confirmed orders without a charge"));
    }
    String leaked = "leaked stock: " + count(leakedStock.count(), "reservation", "reservations");
    lines.add(leakedStock.count() == 0 ? leaked : leaked + ": " + firstFew(leakedStock.named(), leakedStock.count(),
      v -> text(v, "reservationId") + " (" + text(v, "quantity") + " x " + text(v, "productId") + ", order "
        + text(v, "orderStatus") + ")"));
    if (leakedStock.count() > 0) {
      failed.add(count(leakedStock.count(), "leaked stock reservation", "leaked stock reservations"));
    }
    lines.add("orders still pending: " + pending);
    if (pending > 0) {
      failed.add(count(pending, "order still pending", "orders still pending"));
    }

    boolean passed = failed.isEmpty();
    String verdict;
    if (passed) {
      verdict = notChecked != null
        ? "AUDIT PASSED: 0 double charges, 0 leaked stock (lost orders not checked: " + (checks == null ? "no ids file"
          : "no acknowledged order in the ids file") + ")"
        : "AUDIT PASSED: 0 lost orders, 0 double charges, 0 leaked stock";
    } else {
      verdict = "AUDIT FAILED: " + String.join(", ", failed);
    }
    return new AuditReport(lines, verdict, passed);
  }

  private static List<String> idsIn(List<OrderCheck> checks, OrderState state) {
    return checks.stream().filter(c -> c.state() == state).map(OrderCheck::orderId).toList();
  }

  private static String line(String name, Offenders offending, Function<JsonObject, String> describe) {
    return name + ": " + offending.count()
      + (offending.count() == 0 ? "" : ": " + firstFew(offending.named(), offending.count(), describe));
  }

  /** The first {@link #SHOWN} of {@code items}, described, and how many more of {@code total} there are. */
  private static <T> String firstFew(List<T> items, int total, Function<T, String> describe) {
    String shown = items.stream().limit(SHOWN).map(describe).collect(Collectors.joining(", "));
    int shownCount = Math.min(items.size(), SHOWN);
    return total > shownCount ? shown + " and " + (total - shownCount) + " more" : shown;
  }

  private static String count(int n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }

  private static String text(JsonObject json, String field) {
    Object value = json.getValue(field);
    return value == null ? "?" : value.toString();
  }

  private static JsonObject section(JsonObject audit, String name) throws MalformedAuditException {
    if (!(audit.getValue(name) instanceof JsonObject section)) {
      throw new MalformedAuditException("no \"" + name + "\" object");
    }
    return section;
  }

  private static int integer(JsonObject section, String sectionName, String field) throws MalformedAuditException {
    if (!(section.getValue(field) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.longValue() < 0) {
      throw new MalformedAuditException("no whole number \"" + sectionName + "." + field + "\"");
    }
    return (int) Math.min(n.longValue(), Integer.MAX_VALUE);
  }

  /** The violations of one kind the gateway named, and how many there are. */
  private record Offenders(List<JsonObject> named, int count) {
  }

  private static Offenders offenders(JsonObject violations, JsonObject counts, String name) throws MalformedAuditException {
    List<JsonObject> named = list(violations, name);
    int count = counts.getValue(name) instanceof Number n ? (int) Math.min(n.longValue(), Integer.MAX_VALUE) : 0;
    return new Offenders(named, Math.max(named.size(), count));
  }

  private static List<JsonObject> list(JsonObject violations, String name) throws MalformedAuditException {
    if (!(violations.getValue(name) instanceof JsonArray array)) {
      throw new MalformedAuditException("no \"violations." + name + "\" list");
    }
    List<JsonObject> entries = new ArrayList<>();
    for (Object entry : array) {
      // An entry of another shape still counts as a violation; its fields then show as "?".
      entries.add(entry instanceof JsonObject o ? o : new JsonObject());
    }
    return entries;
  }
}
