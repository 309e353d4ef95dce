package dev.shopmesh.cli;

import java.util.regex.Pattern;

/** A value as a printed command line holds it, so that the command pastes into a POSIX shell as printed. */
final class ShellWord {

  /** What a shell reads as one plain word: no quoting needed. */
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

  private ShellWord() {
  }

  /**
   * {@code value} unchanged when the shell reads it as it is, else in single quotes (a quote inside
   * closed, escaped and reopened): an ids file in "My orders/" pasted as printed audited "My".
   */
  static String of(String value) {
    return PLAIN.matcher(value).matches() ? value : "'" + value.replace("'", "'\\''") + "'";
  }
}
