package offhours.endpoint.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import offhours.units.Plurals;

/**
 * A {@link HostingComparison} as the command line prints it with {@code --compare}: a table or JSON lines, and the
 * words of a row's waits and notes, which the hosting page ({@link HostingPage}) shows too. The comparison computes
 * the rows; this class only says them.
 */
final class HostingComparisonText {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);

  private HostingComparisonText() {}

  static String table(HostingComparison comparison) {
    HostingComparison.Input input = comparison.input();
    StringBuilder out = new StringBuilder();
    out.append(String.format(
        Locale.ROOT,
        "%s over %s from %s%s (%s), budget %d min,"
            + " %s at $%.4f/h, %.1f images/s per instance%n%n",
        input.uploadsCounted(),
        Plurals.of(input.days(), "day"),
        input.start()
            + (input.startsLate()
                ? " " + input.since().atZone(input.zone()).toLocalTime().format(HH_MM)
                : ""),
        input.endsEarly()
            ? " to today until "
                + input.end().atZone(input.zone()).toLocalTime().format(HH_MM)
            : "",
        input.zone(),
        input.budget().toMinutes(),
        input.prices().instanceType(),
        input.prices().instanceHourUsd(),
        input.assumptions().imagesPerSecond()));
    out.append(String.format(
        Locale.ROOT,
        "%-37s %18s %10s %9s %9s %9s %7s  %s%n",
        "option",
        "billed",
        "cost $",
        "wait p50",
        "wait p99",
        "wait max",
        "misses",
        "how"));
    for (HostingRow r : comparison.rows()) {
      if (!r.available()) {
        out.append(String.format(
            Locale.ROOT,
            "%-37s %18s %10s %9s %9s %9s %7s  %s%n",
            r.option(),
            "n/a",
            "n/a",
            "-",
            "-",
            "-",
            "-",
            r.note()));
        continue;
      }
      WaitStats w = r.waits();
      out.append(String.format(
          Locale.ROOT,
          "%-37s %18s %10.2f %9s %9s %9s %7d  %s%n",
          r.option(),
          units(r),
          r.usd(),
          wait(r, w.p50()),
          wait(r, w.p99()),
          wait(r, w.max()),
          w.misses(),
          how(r)));
    }
    out.append(String.format(
        Locale.ROOT,
        "%nmisses: results later than %d min after the upload, still waiting"
            + " longer at the end, or expired unserved. Prices: %s.%n",
        input.budget().toMinutes(),
        HostingPrices.SOURCES));
    return out.toString();
  }

  /** JSON lines: one object per option. */
  static String json(HostingComparison comparison) {
    HostingComparison.Input input = comparison.input();
    StringBuilder out = new StringBuilder();
    for (HostingRow r : comparison.rows()) {
      ObjectNode o = JSON.createObjectNode();
      o.put("option", r.option());
      o.put("trace", input.trace());
      o.put("days", input.days());
      o.put(
          "until", input.end().atZone(input.zone()).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
      o.put("uploads", input.uploads().size());
      o.put("budgetMinutes", input.budget().toMinutes());
      o.put("instanceType", input.prices().instanceType());
      o.put("unit", r.unit());
      o.put("available", r.available());
      if (r.available()) {
        o.put("billedUnits", Math.round(r.units() * 1000) / 1000.0);
        o.put("costUsd", Math.round(r.usd() * 10_000) / 10_000.0);
        o.put("waitP50Seconds", r.waits().p50().toMillis() / 1000.0);
        o.put("waitP99Seconds", r.waits().p99().toMillis() / 1000.0);
        o.put("waitMaxSeconds", r.waits().max().toMillis() / 1000.0);
        o.put("budgetMisses", r.waits().misses());
        o.put("pendingAtEnd", r.waits().pending());
        o.put("expired", r.waits().expired());
      } else {
        o.putNull("billedUnits");
        o.putNull("costUsd");
      }
      o.put("note", r.note());
      out.append(o).append('\n');
    }
    return out.toString();
  }

  /** What {@code r} bills, as the table and the page show it: GB-seconds whole, hours to the hundredth. */
  static String units(HostingRow r) {
    return String.format(
        Locale.ROOT, r.unit().equals("GB-s") ? "%.0f %s" : "%.2f %s", r.units(), r.unit());
  }

  /**
   * A wait of an option's results, or "-" when it has none: an option that served nothing in the period (a wake longer
   * than the time since the uploads) must not read as one that answered at once.
   */
  static String wait(HostingRow r, Duration d) {
    return r.results().isEmpty() ? "-" : human(d);
  }

  /** The row's note, and the uploads it had not served when the period ended, which its waits do not count. */
  static String how(HostingRow r) {
    int pending = r.waits().pending();
    return pending == 0
        ? r.note()
        : r.note() + "; " + Plurals.of(pending, "upload") + " still waiting at the end";
  }

  /** 0.2 s, 14 s, 9 min, 2.5 h, 3.1 d. */
  private static String human(Duration d) {
    double s = d.toMillis() / 1000.0;
    if (s < 10) {
      return String.format(Locale.ROOT, "%.1f s", s);
    }
    if (s < 120) {
      return String.format(Locale.ROOT, "%.0f s", s);
    }
    if (s < 7200) {
      return String.format(Locale.ROOT, "%.0f min", s / 60);
    }
    if (s < 2 * 86400) {
      return String.format(Locale.ROOT, "%.1f h", s / 3600);
    }
    return String.format(Locale.ROOT, "%.1f d", s / 86400);
  }
}
