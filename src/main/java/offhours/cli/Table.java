package offhours.cli;

import java.util.ArrayList;
import java.util.List;

/** A plain text table: a header row and aligned columns separated by two spaces. */
final class Table {

  private Table() {}

  static String render(List<String> headers, List<List<String>> rows) {
    int[] widths = new int[headers.size()];
    List<List<String>> all = new ArrayList<>();
    all.add(headers);
    all.addAll(rows);
    for (List<String> row : all) {
      for (int i = 0; i < widths.length; i++) {
        widths[i] = Math.max(widths[i], width(row.get(i)));
      }
    }
    StringBuilder text = new StringBuilder();
    for (List<String> row : all) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < widths.length; i++) {
        String cell = row.get(i);
        line.append(cell);
        if (i < widths.length - 1) {
          line.append(" ".repeat(widths[i] - width(cell) + 2));
        }
      }
      text.append(line.toString().stripTrailing()).append('\n');
    }
    return text.toString();
  }

  /** Columns a cell takes: code points, so "café" is 4 wide. */
  private static int width(String cell) {
    return cell.codePointCount(0, cell.length());
  }
}
