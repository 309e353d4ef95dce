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
}
