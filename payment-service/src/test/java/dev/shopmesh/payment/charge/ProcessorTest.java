package dev.shopmesh.payment.charge;

import dev.shopmesh.platform.error.Failure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.YearMonth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcessorTest {

  static final YearMonth NOW = YearMonth.of(2026, 11);

  static ChargeRequest request(String number, String expiry, String cvv, long amount) {
    return new ChargeRequest("k1", "o1", amount, "USD", new Card(number, expiry, cvv));
  }

  @Test
  void testCardsDecideTheOutcome() {
    assertThat(Processor.decide(request("4242424242424242", "12/30", "123", 100)).status()).isEqualTo(Charge.Status.APPROVED);
    assertThat(Processor.decide(request(Processor.DECLINED_CARD, "12/30", "123", 100)).status()).isEqualTo(Charge.Status.DECLINED);
  }

  @Test
  void luhnAcceptsValidNumbersOnly() {
    assertThat(Processor.luhn("4242424242424242")).isTrue();
    assertThat(Processor.luhn("4000000000000002")).isTrue();
    assertThat(Processor.luhn("4242424242424241")).isFalse();
  }

  @ParameterizedTest(name = "{0} {1} {2} {3} -> {4}")
  @CsvSource({
    "4242424242424241, 12/30, 123, 100, card.cardNumber",
    "42424242, 12/30, 123, 100, card.cardNumber",
    "4242424242424242, 1230, 123, 100, card.expiry",
    "4242424242424242, 10/26, 123, 100, card.expiry",
    "4242424242424242, 12/30, 12, 100, card.cvv",
    "4242424242424242, 12/30, 123, 0, amountCents",
  })
  void invalidInputNamesTheField(String number, String expiry, String cvv, long amount, String field) {
    assertThatThrownBy(() -> Processor.validate(request(number, expiry, cvv, amount), NOW))
      .isInstanceOf(Failure.class)
      .hasMessageContaining(field)
      .extracting(e -> ((Failure) e).kind()).isEqualTo(Failure.Kind.INVALID_ARGUMENT);
  }

  /** An expiry shaped MM/YY whose month is not one is told so; one of another shape is told the shape. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
    "13/30|card.expiry's month must be 01 to 12, got '13/30'",
    "00/30|card.expiry's month must be 01 to 12, got '00/30'",
    "20/30|card.expiry's month must be 01 to 12, got '20/30'",
    "1/30|card.expiry must look like MM/YY, got '1/30'",
  })
  void aWrongExpirySaysWhatIsWrong(String expiry, String message) {
    assertThatThrownBy(() -> Processor.validate(request("4242424242424242", expiry, "123", 100), NOW)).hasMessage(message);
  }

  /** What real cards carry: a 15-digit Amex number with its 4-digit CVV, 16-digit numbers with 3-digit ones. */
  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource({
    "378282246310005, 12/30, 1234",
    "4242424242424242, 12/30, 123",
    "6011000990139424, 01/27, 999",
  })
  void validCardsPass(String number, String expiry, String cvv) {
    Processor.validate(request(number, expiry, cvv, 100), NOW);
  }

  /** Longer than their columns: PostgreSQL would refuse the write as an internal error. */
  @Test
  void anIdTooLongToKeepIsInvalidNamingTheField() {
    Card card = new Card("4242424242424242", "12/30", "123");
    assertThatThrownBy(() -> Processor.validate(new ChargeRequest("k".repeat(201), "o1", 100, "USD", card), NOW))
      .isInstanceOf(Failure.class).hasMessage("idempotencyKey must be at most 200 characters");
    assertThatThrownBy(() -> Processor.validate(new ChargeRequest("k1", "o".repeat(65), 100, "USD", card), NOW))
      .isInstanceOf(Failure.class).hasMessage("orderId must be at most 64 characters");
  }
}
