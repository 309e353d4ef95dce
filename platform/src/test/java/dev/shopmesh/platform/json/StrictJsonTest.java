package dev.shopmesh.platform.json;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StrictJsonTest {

  /** The parser's limits are said in words a caller can act on, without the Java API they come from. */
  @Test
  void jsonNestedTooDeepIsSaidSoWithoutJavaNames() {
    String deep = "{\"name\": " + "[".repeat(1_001) + "]".repeat(1_001) + "}";
    assertThatThrownBy(() -> StrictJson.decode(Buffer.buffer(deep))).isInstanceOf(StrictJson.Invalid.class)
      .hasMessage("Document nesting depth (1001) exceeds the maximum allowed (1000)");
  }

  /**
   * Bytes no UTF-8 encoder writes: the overlong "\xc1\xb5" was read as "u", so "m\xc1\xb5g" named
   * the mug, and a key sent so named another one. Refused, saying where.
   */
  @Test
  void bytesThatAreNotUtf8AreRefusedSayingWhere() {
    for (byte[] bad : List.of(new byte[] {'"', 'm', (byte) 0xc1, (byte) 0xb5, 'g', '"'},
      new byte[] {'"', 'o', (byte) 0xc0, (byte) 0xaf, '"'}, new byte[] {'"', 'x', (byte) 0xff, '"'})) {
      assertThatThrownBy(() -> StrictJson.decode(Buffer.buffer(bad))).isInstanceOf(StrictJson.Invalid.class)
        .hasMessage("the body is not valid UTF-8: byte 3 begins a malformed sequence");
    }
  }

  @Test
  void textWithHalfASurrogatePairIsNotWellFormed() {
    assertThat(StrictJson.wellFormed("caf\u00e9 \ud83d\ude00")).isTrue();
    assertThat(StrictJson.wellFormed("\ud800x")).isFalse();
    assertThat(StrictJson.wellFormed("x\udc00")).isFalse();
    assertThat(StrictJson.wellFormed("\ud83d")).isFalse();
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

  /**
   * A body cut short is said where it ends and what it left open: Jackson named only where the open
   * object began ("…start marker at [Source: REDACTED (`StreamReadFeature…` disabled); line: 1,
   * column: 1]) at line 1 column 1"), which reads as if the first brace were the mistake.
   */
  @Test
  void aBodyCutShortSaysWhereItEndsAndWhatItLeftOpen() {
    assertThatThrownBy(() -> StrictJson.decode(Buffer.buffer("{\"customerId\":\"me\""))).isInstanceOf(StrictJson.Invalid.class)
      .hasMessage("Unexpected end-of-input: the object opened at line 1 column 1 is not closed when the body ends at line 1 column 19");
    assertThatThrownBy(() -> StrictJson.decode(Buffer.buffer("{\"a\": 1,\n\"b\": [1, 2}"))).isInstanceOf(StrictJson.Invalid.class)
      .hasMessage("Unexpected close marker '}': expected ']' (for the array opened at line 2 column 6) at line 2 column 11");
    assertThat(List.of("{\"customerId\": \"x\"}}", "]")).allSatisfy(json -> assertThatThrownBy(() -> StrictJson.decode(Buffer.buffer(json)))
      .as("a close with nothing open").hasMessageContaining("': nothing is open to close at line 1 column ").hasMessageNotContaining("Source"));
  }

  /** NaN and Infinity are not JSON; Jackson's message told the caller to switch on a parser feature of ours. */
  @Test
  void numbersJsonDoesNotHaveAreRefusedWithoutParserSettings() {
    assertThatThrownBy(() -> StrictJson.decode(Buffer.buffer("{\"quantity\": NaN}"))).isInstanceOf(StrictJson.Invalid.class)
      .hasMessage("Non-standard token 'NaN': JSON has no such value at line 1 column 17");
    assertThatThrownBy(() -> StrictJson.decode(Buffer.buffer("{\"quantity\": +1}"))).isInstanceOf(StrictJson.Invalid.class)
      .hasMessage("Unexpected character ('+' (code 43)) in numeric value: JSON spec does not allow numbers to have plus signs at line 1 column 15");
  }
}
