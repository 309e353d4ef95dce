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

  /** Vert.x's parser reads JavaScript's comments; an order with one was placed. JSON has none. */
  @Test
  void commentsAreNotJson() {
    for (String json : new String[] {"// a comment\n{\"name\": \"Ann\"}", "{\"name\": /* hidden */ \"Ann\"}",
      "{\"name\": \"Ann\"} /* after */", "{\"name\": \"Ann\"} // after"}) {
      assertThatThrownBy(() -> StrictJson.decode(Buffer.buffer(json))).as(json).isInstanceOf(StrictJson.Invalid.class)
        .hasMessageContaining("Unexpected character ('/' (code 47)): JSON has no comments at line ").hasMessageNotContaining("Feature");
    }
  }
}
