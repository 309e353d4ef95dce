package dev.shopmesh.platform.error;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The guess a message adds to a mistyped name. */
class MisspellingTest {

  /** POST is one letter off both HOST and PORT: the first in order, whatever order they were read in. */
  @Test
  void ofTwoAsNearTheFirstInOrder() {
    assertThat(Misspelling.of("SHOPMESH_HTTP_POST", List.of("SHOPMESH_HTTP_PORT", "SHOPMESH_HTTP_HOST"))).contains("SHOPMESH_HTTP_HOST");
    assertThat(Misspelling.of("SHOPMESH_HTTP_POST", List.of("SHOPMESH_HTTP_HOST", "SHOPMESH_HTTP_PORT"))).contains("SHOPMESH_HTTP_HOST");
  }

  @Test
  void theNearestWithinTwoLetters() {
    assertThat(Misspelling.of("quantiy", List.of("quantity", "quality"))).contains("quantity");
    assertThat(Misspelling.of("items", List.of("items", "item"))).as("itself is no guess").contains("item");
    assertThat(Misspelling.of("colour", List.of("color", "host"))).contains("color");
    assertThat(Misspelling.of("tls", List.of("host"))).as("three letters off").isEmpty();
  }

  /**
   * Among names given, the first unknown one near a known one not given: beside the name it
   * resembles it is someone else's field (a newer caller's), not a typo.
   */
  @Test
  void aTypoAmongNamesGivenIsOneNearAKnownNameNotGivenToo() {
    List<String> known = List.of("customerId", "items", "payment");
    assertThat(Misspelling.typoAmong(List.of("customerId", "itmes"), known)).hasValueSatisfying(typo -> {
      assertThat(typo.getKey()).isEqualTo("itmes");
      assertThat(typo.getValue()).isEqualTo("items");
    });
    assertThat(Misspelling.typoAmong(List.of("customerId", "customerIp", "items"), known)).as("beside the one it resembles").isEmpty();
    assertThat(Misspelling.typoAmong(List.of("customerId", "giftWrap"), known)).as("far from every known name").isEmpty();
  }
}
