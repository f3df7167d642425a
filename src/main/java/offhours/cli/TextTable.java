package offhours.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain text table: a header row and aligned columns separated by two spaces. Every cell is shown through
 * {@link Terminal#printable}, so a key or reason cannot carry terminal control sequences into the output.
 */
final class TextTable {

  /** The last column keeps at least this many characters however narrow the terminal. */
  static final int MIN_LAST_COLUMN = 20;

  private TextTable() {}

  static String render(List<String> headers, List<List<String>> rows) {
    return render(headers, rows, Integer.MAX_VALUE);
  }

  /**
   * The table, with the last column (a reason, a URL) cut with "…" so that lines fit in {@code columns}, keeping at
   * least {@link #MIN_LAST_COLUMN} characters of it.
   */
  static String render(List<String> headers, List<List<String>> rows, int columns) {
    List<List<String>> all = new ArrayList<>();
    all.add(headers.stream().map(Terminal::printable).toList());
    rows.forEach(row -> all.add(row.stream().map(Terminal::printable).toList()));
    int last = headers.size() - 1;
    int[] widths = new int[headers.size()];
    for (List<String> row : all) {
      for (int i = 0; i < last; i++) {
        widths[i] = Math.max(widths[i], width(row.get(i)));
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
        line.append(row.get(i)).append(" ".repeat(widths[i] - width(row.get(i)) + 2));
      }
      line.append(Format.truncate(row.get(last), lastWidth));
      text.append(line.toString().stripTrailing()).append('\n');
    }
    return text.toString();
  }

  /** Columns a cell takes: code points, so "café" is 4 wide. */
  private static int width(String cell) {
    return cell.codePointCount(0, cell.length());
  }
}
