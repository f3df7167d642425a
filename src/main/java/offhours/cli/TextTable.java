package offhours.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain text table: a header row and aligned columns separated by two spaces. Every cell is shown through
 * {@link Terminal#printable}, so a key or reason cannot carry terminal control sequences into the output.
 */
final class TextTable {

  /** The last column keeps at least this many terminal columns however narrow the terminal. */
  private static final int MIN_LAST_COLUMN = 20;

  private TextTable() {}

  static String render(List<String> headers, List<List<String>> rows) {
    return render(headers, rows, Integer.MAX_VALUE);
  }

  /**
   * The table, with the last column (a reason, a URL) cut by {@link Format#fit} so that lines fit in {@code columns}
   * terminal columns, keeping at least {@link #MIN_LAST_COLUMN} of it.
   */
  static String render(List<String> headers, List<List<String>> rows, int columns) {
    int last = headers.size() - 1;
    List<List<String>> all = new ArrayList<>();
    all.add(headers);
    all.addAll(rows);
    int[] widths = new int[headers.size()];
    for (List<String> row : all) {
      for (int i = 0; i < last; i++) {
        widths[i] = Math.max(widths[i], width(Terminal.printable(row.get(i))));
      }
    }
    int before = 0;
    for (int i = 0; i < last; i++) {
      before += widths[i] + 2;
    }
    int lastWidth = columns == Integer.MAX_VALUE
        ? Integer.MAX_VALUE
        : Math.max(MIN_LAST_COLUMN, columns - before);
    StringBuilder text = new StringBuilder();
    for (List<String> row : all) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < last; i++) {
        String cell = Terminal.printable(row.get(i));
        line.append(cell).append(" ".repeat(widths[i] - width(cell) + 2));
      }
      // Escaped by fit as it cuts, so that no cut falls inside an escape.
      line.append(Format.fit(row.get(last), lastWidth));
      text.append(line.toString().stripTrailing()).append('\n');
    }
    return text.toString();
  }

  /**
   * Columns a cell takes on a terminal ({@link DisplayWidth}): "café" is 4 wide however it is spelled (a file name from
   * macOS often ends in "e" and a combining U+0301, which takes no column of its own), a CJK character or an emoji
   * takes two, and so does an emoji sequence (a flag, a skin tone, a family joined by zero width joiners).
   */
  static int width(String cell) {
    return DisplayWidth.of(cell);
  }
}
