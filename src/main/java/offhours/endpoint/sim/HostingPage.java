package offhours.endpoint.sim;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import offhours.endpoint.Schedule;
import offhours.units.Plurals;

/**
 * The comparison as one self-contained HTML page (inline CSS and SVG, no script, nothing fetched): the period as a
 * timeline (uploads per hour, the budgeted controller's backlog, each option's billed bands over the working hours)
 * and the curve of endpoint-hours saved against the budget. Everything that comes from input is escaped.
 */
public final class HostingPage {

  /** One run of the budgeted controller: its budget as the controller reads it, and what it saved. */
  public record CurvePoint(String budget, double savedPercent, int misses) {}

  private static final int LABEL = 250; // fits "offhours scale-to-zero, budget 240 min"
  private static final int PLOT = 820;
  private static final int WIDTH = LABEL + PLOT + 20;

  private HostingPage() {}

  public static String render(HostingComparison comparison, List<CurvePoint> curve) {
    HostingComparison.Input in = comparison.input();
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">")
        .append("<title>offhours: hosting options on '")
        .append(esc(in.trace()))
        .append("'</title><style>")
        .append("body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:")
        .append(WIDTH + 40)
        .append(
            "px}table{border-collapse:collapse;margin:12px 0}td,th{padding:3px 10px;border-bottom:1px solid #ddd;")
        .append(
            "text-align:right;white-space:nowrap}td:last-child{white-space:normal}td:first-child,th:first-child,td:last-child,th:last-child{text-align:left}")
        .append(
            "svg text{font:12px system-ui,sans-serif;fill:#333}.band{fill:#2b7bb9}.offhours .band{fill:#e07b00}")
        .append(
            ".up{fill:#555}.backlog{fill:#c0392b;fill-opacity:.5}.open{fill:#f3efe0}.grid{stroke:#bbb}")
        .append(
            ".curve{fill:none;stroke:#e07b00;stroke-width:2}.point{fill:#e07b00}.ref{stroke:#2b7bb9;")
        .append("stroke-dasharray:4 3}.na{fill:#999;font-style:italic}</style></head><body>\n");
    h.append("<h1>Hosting options on '")
        .append(esc(in.trace()))
        .append("'</h1>\n<p>")
        .append(Plurals.of(in.uploads().size(), "upload"))
        .append(" over ")
        .append(Plurals.of(in.days(), "day"))
        .append(" from ")
        .append(in.start())
        .append(" (")
        .append(esc(in.zone().getId()))
        .append("), working hours ")
        .append(esc(in.workingHours()))
        .append(", budget ")
        .append(in.budget().toMinutes())
        .append(" min, ")
        .append(esc(in.prices().instanceType()))
        .append(String.format(Locale.ROOT, " at $%.4f/h.</p>%n", in.prices().instanceHourUsd()));
    table(h, comparison);
    h.append("<h2>The period</h2>\n");
    timeline(h, comparison);
    h.append("<h2>Endpoint-hours saved against the budget</h2>\n");
    curve(h, comparison, curve);
    h.append("<p>Prices: ").append(esc(HostingPrices.SOURCES)).append(".</p>\n</body></html>\n");
    return h.toString();
  }

  private static void table(StringBuilder h, HostingComparison c) {
    h.append(
            "<table id=\"options\"><tr><th>option</th><th>billed</th><th>cost $</th><th>wait p50</th>")
        .append("<th>wait p99</th><th>wait max</th><th>misses</th><th>how</th></tr>\n");
    for (HostingRow r : c.rows()) {
      h.append("<tr><td>").append(esc(r.option())).append("</td>");
      if (r.available()) {
        h.append("<td>")
            .append(esc(HostingComparisonText.units(r)))
            .append(String.format(Locale.ROOT, "</td><td>%.2f</td>", r.usd()))
            .append("<td>")
            .append(HostingComparisonText.wait(r, r.waits().p50()))
            .append("</td><td>")
            .append(HostingComparisonText.wait(r, r.waits().p99()))
            .append("</td><td>")
            .append(HostingComparisonText.wait(r, r.waits().max()))
            .append("</td><td>")
            .append(r.waits().misses())
            .append("</td>");
      } else {
        h.append("<td>n/a</td><td>n/a</td><td>-</td><td>-</td><td>-</td><td>-</td>");
      }
      h.append("<td>")
          .append(esc(r.available() ? HostingComparisonText.how(r) : r.note()))
          .append("</td></tr>\n");
    }
    h.append("</table>\n");
  }

  private static void timeline(StringBuilder h, HostingComparison c) {
    HostingComparison.Input in = c.input();
    Instant start = in.startInstant();
    Instant end = in.end();
    double span = Duration.between(start, end).toSeconds();
    int histogram = 70;
    int backlog = 50;
    int rowHeight = 22;
    int top = 20;
    int height = top + histogram + backlog + 16 + rowHeight * c.rows().size() + 10;
    h.append("<svg id=\"timeline\" width=\"")
        .append(WIDTH)
        .append("\" height=\"")
        .append(height)
        .append("\" role=\"img\" aria-label=\"timeline\">\n");
    // working hours, shaded across every row
    Schedule schedule = Schedule.parse(in.workingHours(), in.zone(), Set.of());
    Instant t = start;
    while (t.isBefore(end)) {
      Instant next = schedule.nextChange(t).filter(n -> n.isBefore(end)).orElse(end);
      if (schedule.isOpen(t)) {
        rect(h, "open", LABEL + x(start, t, span), top, w(t, next, span), height - top - 10, null);
      }
      t = next;
    }
    for (LocalDate d = in.start(); d.isBefore(in.start().plusDays(in.days())); d = d.plusDays(1)) {
      double dx = LABEL + x(start, d.atStartOfDay(in.zone()).toInstant(), span);
      h.append(String.format(
          Locale.ROOT,
          "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>",
          dx,
          top - 14,
          dx,
          height - 10));
      h.append(String.format(
          Locale.ROOT,
          "<text x=\"%.1f\" y=\"%d\">%s %s</text>%n",
          dx + 3,
          top - 4,
          d.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ROOT),
          d));
    }
    // uploads per hour
    int hours = (int) Math.ceil(span / 3600);
    int[] perHour = new int[Math.max(1, hours)];
    for (Instant u : in.uploads()) {
      long i = Duration.between(start, u).toSeconds() / 3600;
      if (i >= 0 && i < perHour.length) {
        perHour[(int) i]++;
      }
    }
    int most = 1;
    for (int n : perHour) {
      most = Math.max(most, n);
    }
    label(h, "uploads per hour (max " + most + ")", top + histogram / 2);
    for (int i = 0; i < perHour.length; i++) {
      if (perHour[i] > 0) {
        double bh = Math.max(1, (double) perHour[i] / most * (histogram - 6));
        rect(
            h,
            "up",
            LABEL + PLOT * i * 3600.0 / span,
            top + histogram - bh,
            Math.max(1, PLOT * 3600.0 / span - 0.5),
            bh,
            Plurals.of(perHour[i], "upload"));
      }
    }
    // the budgeted controller's backlog (uploads without a result), sampled every 10 minutes
    HostingRow budgeted = c.rows().get(3);
    int y0 = top + histogram + backlog;
    label(h, "backlog, " + budgeted.option(), y0 - backlog / 2);
    List<Instant[]> results = budgeted.results();
    int steps = (int) (span / 600);
    int[] waiting = new int[steps + 1];
    int most2 = 1;
    int u = 0;
    int r = 0;
    List<Instant> done = results.stream().map(x -> x[1]).sorted().toList();
    for (int s = 0; s <= steps; s++) {
      Instant at = start.plusSeconds(600L * s);
      while (u < in.uploads().size() && !in.uploads().get(u).isAfter(at)) {
        u++;
      }
      while (r < done.size() && !done.get(r).isAfter(at)) {
        r++;
      }
      waiting[s] = u - r;
      most2 = Math.max(most2, waiting[s]);
    }
    StringBuilder path = new StringBuilder(String.format(Locale.ROOT, "M%d %d", LABEL, y0));
    for (int s = 0; s <= steps; s++) {
      path.append(String.format(
          Locale.ROOT,
          " L%.1f %.1f",
          LABEL + PLOT * s * 600.0 / span,
          y0 - (double) waiting[s] / most2 * (backlog - 6)));
    }
    path.append(String.format(Locale.ROOT, " L%.1f %d Z", LABEL + PLOT * steps * 600.0 / span, y0));
    h.append("<path class=\"backlog\" d=\"")
        .append(path)
        .append("\"><title>at most ")
        .append(most2)
        .append(" waiting</title></path>\n");
    // billed bands per option
    int y = y0 + 16;
    for (HostingRow row : c.rows()) {
      h.append("<g class=\"option")
          .append(row.option().startsWith("offhours") ? " offhours" : "")
          .append("\" data-option=\"")
          .append(esc(row.option()))
          .append("\">");
      label(h, row.option(), y + rowHeight / 2);
      if (row.bands().isEmpty()) {
        h.append("<text class=\"na\" x=\"")
            .append(LABEL + 4)
            .append("\" y=\"")
            .append(y + rowHeight / 2 + 4)
            .append("\">")
            .append(row.available() ? "no instance: billed per request" : esc(row.note()))
            .append("</text>");
      }
      for (Instant[] b : row.bands()) {
        Instant from = b[0].isBefore(start) ? start : b[0];
        Instant to = b[1].isAfter(end) ? end : b[1];
        if (from.isBefore(to)) {
          rect(
              h,
              "band",
              LABEL + x(start, from, span),
              y + 3,
              Math.max(1, w(from, to, span)),
              rowHeight - 6,
              from + " to " + to);
        }
      }
      h.append("</g>\n");
      y += rowHeight;
    }
    h.append(
            "</svg>\n<p>Shaded: working hours. Bars: when each option bills an instance (serverless bills per")
        .append(" request).</p>\n");
  }

  private static void curve(StringBuilder h, HostingComparison c, List<CurvePoint> points) {
    int width = 640;
    int height = 300;
    int left = 60;
    int bottom = 40;
    int plotW = width - left - 60;
    int plotH = height - bottom - 20;
    double lowest = 100;
    for (CurvePoint p : points) {
      lowest = Math.min(lowest, p.savedPercent());
    }
    HostingRow always = c.rows().get(0);
    HostingRow working = c.rows().get(2);
    double workingSaved = 100 * (1 - working.units() / always.units());
    lowest = Math.min(lowest, workingSaved);
    double floor = Math.max(0, Math.floor((lowest - 5) / 10) * 10);
    h.append("<svg id=\"savings-curve\" width=\"")
        .append(width)
        .append("\" height=\"")
        .append(height)
        .append("\" role=\"img\" aria-label=\"savings against the budget\">\n");
    for (double v = floor; v <= 100; v += 10) {
      double yy = 20 + plotH * (100 - v) / (100 - floor);
      h.append(String.format(
          Locale.ROOT,
          "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
              + "<text x=\"8\" y=\"%.1f\">%.0f %%</text>%n",
          left,
          yy,
          left + plotW,
          yy,
          yy + 4,
          v));
    }
    double wy = 20 + plotH * (100 - workingSaved) / (100 - floor);
    h.append(String.format(
        Locale.ROOT,
        "<line class=\"ref\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
            + "<text x=\"%d\" y=\"%.1f\">by working hours alone: %.1f %%</text>%n",
        left,
        wy,
        left + plotW,
        wy,
        left + 6,
        wy + 16,
        workingSaved));
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < points.size(); i++) {
      CurvePoint p = points.get(i);
      double xx = left + (points.size() == 1 ? plotW / 2.0 : plotW * i / (points.size() - 1.0));
      double yy = 20 + plotH * (100 - p.savedPercent()) / (100 - floor);
      path.append(i == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", xx, yy));
      h.append(String.format(
          Locale.ROOT,
          "<circle class=\"point\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\"><title>%s:"
              + " %.1f %% saved, %s</title></circle><text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>"
              + "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%.1f</text>%n",
          xx,
          yy,
          esc(p.budget()),
          p.savedPercent(),
          Plurals.of(p.misses(), "miss", "misses"),
          xx,
          height - bottom + 18,
          esc(p.budget()),
          xx,
          yy - 8,
          p.savedPercent()));
    }
    h.append("<path class=\"curve\" d=\"").append(path).append("\"/>\n");
    h.append(String.format(
        Locale.ROOT,
        "<text x=\"%d\" y=\"%d\">budget (MAX_WAIT_MINUTES)</text>%n",
        left + plotW / 2 - 70,
        height - 4));
    h.append("</svg>\n");
  }

  private static double x(Instant start, Instant t, double span) {
    return PLOT * Duration.between(start, t).toSeconds() / span;
  }

  private static double w(Instant from, Instant to, double span) {
    return PLOT * Duration.between(from, to).toSeconds() / span;
  }

  private static void label(StringBuilder h, String text, int y) {
    h.append("<text x=\"0\" y=\"").append(y + 4).append("\">").append(esc(text)).append("</text>");
  }

  private static void rect(
      StringBuilder h, String cls, double x, double y, double w, double height, String title) {
    h.append(String.format(
        Locale.ROOT,
        "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">",
        cls,
        x,
        y,
        w,
        height));
    if (title != null) {
      h.append("<title>").append(esc(title)).append("</title>");
    }
    h.append("</rect>");
  }

  /** HTML text and attribute escaping. */
  private static String esc(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(ch);
      }
    }
    return out.toString();
  }
}
