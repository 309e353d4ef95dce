package dev.shopmesh.bench.report;

import java.util.ArrayList;
import java.util.List;

/** Rows of cells laid out in columns as wide as their widest cell: text columns left-aligned, figures right. */
final class TextColumns {

  private final int textColumns;
  private final int trailingTextColumns;
  private final List<String[]> rows = new ArrayList<>();

  /** @param textColumns how many leading columns hold text (left-aligned) */
  TextColumns(int textColumns) {
    this(textColumns, 0);
  }

  /** @param trailingTextColumns how many columns at the end of the widest row hold text too */
  TextColumns(int textColumns, int trailingTextColumns) {
    this.textColumns = textColumns;
    this.trailingTextColumns = trailingTextColumns;
  }

  TextColumns row(String... cells) {
    rows.add(cells);
    return this;
  }

  String render(String indent) {
    int columns = rows.stream().mapToInt(r -> r.length).max().orElse(0);
    int[] widths = new int[columns];
    rows.forEach(r -> {
      for (int i = 0; i < r.length; i++) {
        widths[i] = Math.max(widths[i], r[i].length());
      }
    });
    StringBuilder out = new StringBuilder();
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder(indent);
      for (int i = 0; i < r.length; i++) {
        String pad = " ".repeat(widths[i] - r[i].length());
        boolean text = i < textColumns || i >= columns - trailingTextColumns;
        line.append(i == 0 ? "" : "  ").append(text ? r[i] + pad : pad + r[i]);
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }
}
