package offhours.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import offhours.results.RejectionHint;
import offhours.units.Plurals;

/**
 * What {@code offhours results} and {@code demo} say under a table with REJECTED rows: one line per kind of reason
 * shown, in the words of {@link RejectionHint}.
 */
final class RejectionLines {

  private RejectionLines() {}

  /**
   * One line per kind of the REJECTED {@code rows}, in the order the kinds first appear, each with how many rows are
   * of it: "what to do (2 results), too large: shrink it ...".
   */
  static List<String> of(List<ResultRow> rows) {
    Map<RejectionHint, Integer> counts = new LinkedHashMap<>();
    for (ResultRow row : rows) {
      if ("REJECTED".equals(row.status())) {
        RejectionHint.of(row.key(), row.id(), row.reason())
            .ifPresent(h -> counts.merge(h, 1, Integer::sum));
      }
    }
    List<String> lines = new ArrayList<>();
    counts.forEach(
        (h, n) -> lines.add("what to do (" + Plurals.of(n, "result") + "), " + h.line()));
    return lines;
  }
}
