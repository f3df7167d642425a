package offhours.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain text table: a header row and aligned columns separated by two spaces. Every cell is shown through
 * {@link Terminal#printable}, so a key or reason cannot carry terminal control sequences into the output.
 */
final class TextTable {

  /** The last column keeps at least this many terminal columns however narrow the terminal. */
  static final int MIN_LAST_COLUMN = 20;

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
   * Columns a cell takes on a terminal: "café" is 4 wide however it is spelled (a file name from macOS often ends
   * in "e" and a combining U+0301, which takes no column of its own), and a CJK character or an emoji takes two.
   */
  static int width(String cell) {
    return cell.codePoints().map(TextTable::columns).sum();
  }

  private static int columns(int codePoint) {
    int type = Character.getType(codePoint);
    if (type == Character.NON_SPACING_MARK
        || type == Character.ENCLOSING_MARK
        || codePoint == 0x200B) {
      return 0;
    }
    return wide(codePoint) ? 2 : 1;
  }

  /** The blocks that terminals draw two columns wide (Unicode's East Asian Wide and Fullwidth, and emoji). */
  private static boolean wide(int c) {
    return (c >= 0x1100 && c <= 0x115F) // Hangul Jamo initials
        || (c >= 0x2E80 && c <= 0x303E) // CJK radicals, punctuation
        || (c >= 0x3041 && c <= 0x33FF) // kana, CJK symbols
        || (c >= 0x3400 && c <= 0x4DBF) // CJK extension A
        || (c >= 0x4E00 && c <= 0x9FFF) // CJK unified ideographs
        || (c >= 0xA000 && c <= 0xA4CF) // Yi
        || (c >= 0xAC00 && c <= 0xD7A3) // Hangul syllables
        || (c >= 0xF900 && c <= 0xFAFF) // CJK compatibility ideographs
        || (c >= 0xFE30 && c <= 0xFE4F) // CJK compatibility forms
        || (c >= 0xFF00 && c <= 0xFF60) // fullwidth forms
        || (c >= 0xFFE0 && c <= 0xFFE6)
        || (c >= 0x1F300 && c <= 0x1F64F) // pictographs, emoticons
        || (c >= 0x1F900 && c <= 0x1F9FF)
        || (c >= 0x20000 && c <= 0x3FFFD); // CJK extensions B and later
  }
}
