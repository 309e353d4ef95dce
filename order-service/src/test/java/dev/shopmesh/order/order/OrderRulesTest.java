package dev.shopmesh.order.order;

import dev.shopmesh.platform.error.Failure;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrderRulesTest {

  static final NewOrder.PaymentCard CARD = new NewOrder.PaymentCard("4242424242424242", "12/30", "123");

  static NewOrder order(String customer, List<NewOrder.Item> items) {
    return new NewOrder("", customer, items, CARD);
  }

  @Test
  void aValidOrderPasses() {
    assertThat(OrderRules.check(order("c", List.of(new NewOrder.Item("mug", 2))))).isNotNull();
  }

  @Test
  void eachRuleNamesItsField() {
    assertThatThrownBy(() -> OrderRules.check(order("", List.of(new NewOrder.Item("mug", 1))))).hasMessageContaining("customerId");
    assertThatThrownBy(() -> OrderRules.check(order("c", List.of()))).hasMessageContaining("items");
    assertThatThrownBy(() -> OrderRules.check(order("c", List.of(new NewOrder.Item("mug", 1), new NewOrder.Item("", 1)))))
      .hasMessageContaining("items[1].productId");
    assertThatThrownBy(() -> OrderRules.check(order("c", List.of(new NewOrder.Item("mug", 1001)))))
      .isInstanceOf(Failure.class).hasMessageContaining("items[0].quantity");
    assertThatThrownBy(() -> OrderRules.check(new NewOrder("", "c", List.of(new NewOrder.Item("mug", 1)),
      new NewOrder.PaymentCard("4242424242424242", "", "123")))).hasMessageContaining("payment.expiry");
  }

  /** An order with no payment is told so, not sent looking for its first field. */
  @Test
  void anOrderWithoutPaymentIsToldPaymentIsRequired() {
    assertThatThrownBy(() -> OrderRules.check(new NewOrder("", "c", List.of(new NewOrder.Item("mug", 1)),
      new NewOrder.PaymentCard("", "", "")))).isInstanceOf(Failure.class).hasMessage("payment is required: cardNumber, expiry and cvv");
    assertThatThrownBy(() -> OrderRules.check(new NewOrder("", "c", List.of(new NewOrder.Item("mug", 1)),
      new NewOrder.PaymentCard("", "12/30", "123")))).hasMessage("payment.cardNumber is required");
  }

  /** The limits are the most an order may ask: 100 lines, 1,000 of a product; one more is refused naming the field. */
  @Test
  void anOrderAtTheLimitsPassesAndOneOverIsRefused() {
    List<NewOrder.Item> hundred = IntStream.range(0, 100).mapToObj(i -> new NewOrder.Item("p" + i, 1)).toList();
    assertThat(OrderRules.check(order("c", hundred)).items()).hasSize(100);
    List<NewOrder.Item> hundredAndOne = IntStream.range(0, 101).mapToObj(i -> new NewOrder.Item("p" + i, 1)).toList();
    assertThatThrownBy(() -> OrderRules.check(order("c", hundredAndOne)))
      .isInstanceOf(Failure.class).hasMessage("items must contain at most 100 items");
    assertThat(OrderRules.check(order("c", List.of(new NewOrder.Item("mug", 1000)))).items())
      .containsExactly(new NewOrder.Item("mug", 1000));
    assertThat(OrderRules.check(order("c", List.of(new NewOrder.Item("mug", 400), new NewOrder.Item("mug", 600)))).items())
      .as("lines summing to the limit").containsExactly(new NewOrder.Item("mug", 1000));
  }

  /**
   * As catalog-service reserves them: one line of their sum, where the first was. A confirmed order
   * showed one line and a rejected one all of them; and no limit applied to the sum.
   */
  @Test
  void linesOfOneProductAreOneLineOfTheirSumAndTheLimitHoldsForIt() {
    assertThat(OrderRules.check(order("c", List.of(new NewOrder.Item("mug", 1), new NewOrder.Item("tea", 5),
      new NewOrder.Item("mug", 2)))).items())
      .containsExactly(new NewOrder.Item("mug", 3), new NewOrder.Item("tea", 5));
    assertThatThrownBy(() -> OrderRules.check(order("c", List.of(new NewOrder.Item("mug", 600), new NewOrder.Item("mug", 600)))))
      .isInstanceOf(Failure.class)
      .hasMessage("items[1].quantity brings 'mug' to 1200 in all, over the 1000 one order may ask of a product");
  }

  /** Counted as the database's columns count them, and storable in PostgreSQL's text. */
  @Test
  void storedTextIsCountedInCharactersAndHoldsNoNul() {
    String emoji = "\uD83D\uDE00";
    assertThat(OrderRules.check(order(emoji.repeat(100), List.of(new NewOrder.Item("mug", 1))))).as("100 characters").isNotNull();
    assertThatThrownBy(() -> OrderRules.check(order(emoji.repeat(129), List.of(new NewOrder.Item("mug", 1)))))
      .hasMessage("customerId must be at most 128 characters");
    assertThatThrownBy(() -> OrderRules.check(order("a\u0000b", List.of(new NewOrder.Item("mug", 1)))))
      .hasMessage("customerId must not contain the NUL character (\\u0000)");
    assertThatThrownBy(() -> OrderRules.check(new NewOrder("k\u0000", "c", List.of(new NewOrder.Item("mug", 1)), CARD)))
      .hasMessageStartingWith("idempotencyKey must not contain the NUL character");
    assertThatThrownBy(() -> OrderRules.check(new NewOrder(" ", "c", List.of(new NewOrder.Item("mug", 1)), CARD)))
      .hasMessage("idempotencyKey is blank: send a key, or none");
    assertThatThrownBy(() -> OrderRules.check(order("c", List.of(new NewOrder.Item("mug\u0000", 1)))))
      .hasMessageStartingWith("items[0].productId must not contain the NUL character");
  }

  @Test
  void theFingerprintIgnoresTheKeyAndTheCardsSecretsButNotTheOrder() {
    NewOrder a = new NewOrder("k1", "c", List.of(new NewOrder.Item("mug", 1)), CARD);
    NewOrder sameOrderOtherCvv = new NewOrder("k2", "c", List.of(new NewOrder.Item("mug", 1)),
      new NewOrder.PaymentCard("4242424242424242", "12/30", "999"));
    NewOrder moreMugs = new NewOrder("k1", "c", List.of(new NewOrder.Item("mug", 2)), CARD);
    assertThat(a.fingerprint()).isEqualTo(sameOrderOtherCvv.fingerprint()).doesNotContain("4242");
    assertThat(a.fingerprint()).isNotEqualTo(moreMugs.fingerprint());
  }

  /** A customer id may hold any character: one that spells another order's lines is still another order. */
  @Test
  void noOrderPassesForAnotherWhateverItsTextHolds() {
    NewOrder twoLines = order("alice", List.of(new NewOrder.Item("mug", 1), new NewOrder.Item("notebook", 1)));
    NewOrder lookalike = order("alice\n3:mug1;", List.of(new NewOrder.Item("notebook", 1)));
    NewOrder oldLookalike = order("alice\nmugx1", List.of(new NewOrder.Item("notebook", 1)));
    assertThat(twoLines.fingerprint()).isNotEqualTo(lookalike.fingerprint()).isNotEqualTo(oldLookalike.fingerprint());
  }
}
