package dev.shopmesh.platform.json;

import com.fasterxml.jackson.core.JsonParser;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.jackson.JacksonCodec;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JSON from a caller, read at its strictest, as both APIs read it (the HTTP bodies, gRPC's
 * {@code application/grpc+json}): one value and nothing after it, no name twice in an object, and
 * no comments. Jackson keeps the last of two equal names and protobuf's parser does too, so an
 * order whose {@code items} came twice lost the first list without a word; and Vert.x's parser
 * takes {@code //} and {@code /* *}{@code /} comments, which JSON does not have.
 */
public final class StrictJson {

  private StrictJson() {
  }

  /**
   * The value {@code json} holds: a {@code JsonObject}, {@code JsonArray}, text, number, boolean or
   * null.
   *
   * @throws Invalid saying what is wrong and where, in words a caller can act on
   */
  public static Object decode(Buffer json) throws Invalid {
    utf8(json);
    try {
      JsonParser parser = JacksonCodec.createParser(json);
      parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      parser.disable(JsonParser.Feature.ALLOW_COMMENTS);
      return JacksonCodec.fromParser(parser, Object.class);
    } catch (DecodeException e) {
      throw new Invalid(Invalid.words(e.getMessage()));
    }
  }

  /**
   * JSON is UTF-8, read strictly: Jackson took the overlong forms of a character ("\xc1\xb5" for
   * "u"), so a product id or a key sent in bytes no UTF-8 encoder writes named another one.
   */
  private static void utf8(Buffer json) throws Invalid {
    int ascii = 0;
    while (ascii < json.length() && json.getByte(ascii) >= 0) {
      ascii++;
    }
    if (ascii == json.length()) {
      // Most JSON is ASCII: a 4 MiB message is not copied twice on the event loop to learn so.
      return;
    }
    ByteBuffer bytes = ByteBuffer.wrap(json.getBytes(), ascii, json.length() - ascii);
    CoderResult result = StandardCharsets.UTF_8.newDecoder().decode(bytes, CharBuffer.allocate(json.length() - ascii), true);
    if (result.isError()) {
      throw new Invalid("the body is not valid UTF-8: byte " + (bytes.position() + 1) + " begins a malformed sequence");
    }
  }

  /**
   * Whether {@code text} is Unicode text: JSON's escapes can name half a surrogate pair
   * ({@code "\ud800"}), which protobuf carries on as '?', so that two such idempotency keys named one order.
   */
  public static boolean wellFormed(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /** What a field whose text is not {@link #wellFormed} is told, after its name. */
  public static final String NOT_WELL_FORMED = " must be valid Unicode text, without a lone surrogate escape (\\ud800-\\udfff)";

  /** JSON that does not read: {@code getMessage()} is the parser's first line and where it stopped. */
  public static final class Invalid extends Exception {

    private Invalid(String message) {
      super(message, null, false, false);
    }

    private static String words(String parserMessage) {
      // Jackson's message quotes the body back on its next lines, then says where it stopped:
      // "Duplicate field 'items'\n at [Source: …; line: 1, column: 30]". Its first line may name
      // another place, where what is left open began: that one is said in words too.
      String message = String.valueOf(parserMessage);
      Matcher at = WHERE.matcher(message);
      String where = "";
      while (at.find()) {
        where = " at line " + at.group(1) + " column " + at.group(2);
      }
      String first = message.lines().findFirst().orElse("").trim();
      first = SOURCE.matcher(first).replaceAll("line $1 column $2");
      first = NOT_CLOSED.matcher(first).replaceAll(m -> "the " + m.group(1).toLowerCase() + " opened at " + m.group(2) + " is not closed when the body ends");
      first = OPENED.matcher(first).replaceAll(m -> "(for the " + m.group(1).toLowerCase() + " opened at " + m.group(2) + ")");
      first = ROOT.matcher(first).replaceAll(": nothing is open to close");
      first = NON_STANDARD.matcher(first).replaceAll(m -> m.group(1) != null ? m.group(1) + ": JSON has no such value" : "");
      first = JAVA_API.matcher(first).replaceAll("").replace("in VALUE_STRING", "in a string");
      return COMMENT.matcher(first).replaceAll(": JSON has no comments") + where;
    }

    private static final Pattern WHERE = Pattern.compile("line: (\\d+), column: (\\d+)");

    /** A place as Jackson names it: "[Source: REDACTED (`StreamReadFeature…` disabled); line: 1, column: 10]". */
    private static final Pattern SOURCE = Pattern.compile("\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)\\]");

    /** "expected close marker for Object (start marker at line 1 column 1)". */
    private static final Pattern NOT_CLOSED = Pattern.compile("expected close marker for (Object|Array) \\(start marker at (line \\d+ column \\d+)\\)");

    /** "(for Array starting at line 2 column 5)". */
    private static final Pattern OPENED = Pattern.compile("\\(for (Object|Array) starting at (line \\d+ column \\d+)\\)");

    /**
     * "Non-standard token 'NaN': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow", "…numbers to have plus
     * signs: enable `…` to allow": a parser setting of the server's, not the caller's to change.
     */
    private static final Pattern NON_STANDARD = Pattern.compile("(Non-standard token '[^']*')?: enable `[^`]*` to allow$");

    /** A close after the body's one value: "expected ']' (for root starting at [Source: …; line: 1])", which has no column. */
    private static final Pattern ROOT = Pattern.compile(": expected '.' \\(for root starting at \\[Source: [^\\]]*\\]\\)");

    /** Where a limit comes from, in Java: "…maximum allowed (1000, from `StreamReadConstraints.getMaxNestingDepth()`)". */
    private static final Pattern JAVA_API = Pattern.compile(", from `[^`]*`");

    /** "…: maybe a (non-standard) comment? (not recognized as one since Feature 'ALLOW_COMMENTS' not enabled for parser)". */
    private static final Pattern COMMENT = Pattern.compile(": maybe a \\(non-standard\\) comment\\?.*$");
  }
}
