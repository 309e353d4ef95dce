package dev.shopmesh.platform.json;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StrictJsonTest {

  /** The parser's limits are said in words a caller can act on, without the Java API they come from. */
  @Test
  void jsonNestedTooDeepIsSaidSoWithoutJavaNames() {
    String deep = "{\"name\": " + "[".repeat(1_001) + "]".repeat(1_001) + "}";
    assertThatThrownBy(() -> StrictJson.decode(Buffer.buffer(deep))).isInstanceOf(StrictJson.Invalid.class)
      .hasMessage("Document nesting depth (1001) exceeds the maximum allowed (1000)");
  }
}
