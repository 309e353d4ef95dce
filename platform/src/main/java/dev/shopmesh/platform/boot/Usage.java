package dev.shopmesh.platform.boot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a service's main class (and {@code ./shopmesh run SERVICE}) prints for {@code --help} or
 * {@code -h}: every setting with its flag, variable and default, read from the README's
 * configuration table, which the build packs into the jar (platform's pom), so that the two cannot
 * drift. Before, a service took {@code --help} for a setting and stopped with "flag --help needs a value".
 */
final class Usage {

  /** Where the build puts the README in the jar. */
  static final String README = "/shopmesh/README.md";

  private static final Pattern LINK = Pattern.compile("\\[([^]]*)]\\([^)]*\\)");
  private static final int WIDTH = 100;
  private static final String INDENT = "      ";

  private Usage() {
  }

  /** Whether {@code args} ask for this text rather than a start. */
  static boolean asked(String[] args) {
    return Arrays.stream(args).anyMatch(arg -> arg.equals("--help") || arg.equals("-h"));
  }

  /** A setting, as a row of the README's table has it. */
  record Setting(String variable, String flag, String byDefault, String meaning) {
  }

  static String text() {
    StringBuilder text = new StringBuilder()
      .append("Usage: java -jar SERVICE.jar [--setting=value ...]\n")
      .append("   or: ./shopmesh run SERVICE [--setting=value ...]\n")
      .append("Runs the service until Ctrl-C or SIGTERM. Each setting is a flag or an environment variable,\n")
      .append("the flag winning: --grpc-port=9000 or SHOPMESH_GRPC_PORT=9000.\n\n");
    List<Setting> settings = settings(readme());
    if (settings.isEmpty()) {
      return text.append("The settings: the Configuration table of shopmesh's README.md.\n").toString();
    }
    for (Setting s : settings) {
      text.append("  ").append(s.flag()).append(", ").append(s.variable()).append('\n');
      wrap(s.meaning() + " (default: " + s.byDefault() + ")", text);
    }
    return text.append("\nMore on each: the Configuration section of shopmesh's README.md.\n").toString();
  }

  /** The rows of the README's settings table, in its order, without their Markdown. */
  static List<Setting> settings(String readme) {
    List<Setting> settings = new ArrayList<>();
    for (String line : readme.split("\n")) {
      if (!line.startsWith("| `SHOPMESH_")) {
        continue;
      }
      String[] cells = line.substring(1, line.lastIndexOf('|')).split(" \\| ");
      if (cells.length == 4) {
        settings.add(new Setting(plain(cells[0]), plain(cells[1]), plain(cells[2]), plain(cells[3])));
      }
    }
    return settings;
  }

  /** A cell as text: a link as its words, "below" (the README's notes on the settings) as where that is. */
  private static String plain(String markdown) {
    return LINK.matcher(markdown.trim()).replaceAll(link -> Matcher.quoteReplacement(link.group(1).equals("below")
      ? "see the README's notes on the settings" : link.group(1))).replace("`", "").replace("**", "");
  }

  private static void wrap(String words, StringBuilder text) {
    StringBuilder line = new StringBuilder(INDENT);
    for (String word : words.split(" ")) {
      if (line.length() > INDENT.length() && line.length() + 1 + word.length() > WIDTH) {
        text.append(line).append('\n');
        line.setLength(0);
        line.append(INDENT);
      }
      line.append(line.length() > INDENT.length() ? " " : "").append(word);
    }
    text.append(line).append('\n');
  }

  /** The README the build packed; empty where there is none (a class path without the build's resources). */
  static String readme() {
    try (InputStream in = Usage.class.getResourceAsStream(README)) {
      return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
