package dev.shopmesh.platform.error;

/**
 * Text a service keeps in a column of its database: at most {@code max} characters as the column
 * counts them (code points, so an emoji is one), and no NUL, which PostgreSQL's text cannot hold.
 * Checked before the write, so that either fails as the caller's input, naming the field; the
 * database would refuse it as an internal error (SQLite would keep it).
 */
public final class StoredText {

  private StoredText() {
  }

  /** {@code value}, or INVALID_ARGUMENT naming {@code field} as the caller spells it. */
  public static String check(String field, String value, int max) {
    if (value.codePointCount(0, value.length()) > max) {
      throw Failure.invalid(field + " must be at most " + max + " characters");
    }
    if (value.indexOf('\0') >= 0) {
      throw Failure.invalid(field + " must not contain the NUL character (\\u0000)");
    }
    return value;
  }
}
