package dev.shopmesh.order.tracking;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** How a process's order changes travel to the others ({@link OrderChanges}), on any store. */
class OrderChangesTest {

  /** Many changes to a notification, as many notifications as PostgreSQL's 8,000-byte payload needs, none lost. */
  @Test
  void changesGoManyToANotificationWithinItsLimit() {
    List<String> ids = IntStream.range(0, 300).mapToObj(i -> UUID.randomUUID().toString()).toList();
    List<String> payloads = OrderChanges.payloads("origin", ids);
    assertThat(payloads).hasSize(2)
      // PostgreSQL refuses a payload of 8,000 bytes or more ("payload string too long"), and the
      // other processes then hear of none of its orders until they poll.
      .allSatisfy(payload -> assertThat(payload).startsWith("origin ").hasSizeLessThan(8_000));
    assertThat(payloads.stream().flatMap(payload -> Arrays.stream(payload.split(" ")).skip(1)).toList()).isEqualTo(ids);
    assertThat(OrderChanges.payloads("origin", List.of())).isEmpty();
  }
}
