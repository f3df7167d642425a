package offhours.endpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import offhours.units.Plurals;

/** A {@link CostReport} as the {@code cost} command prints it: a table, or JSON lines. */
final class CostReportText {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);

  private CostReportText() {}

  static String table(CostReport report) {
    LedgerPrices prices = report.prices();
    ServerlessUsage serverless = report.serverless();
    CostReport.Row total = report.total();
    StringBuilder out = new StringBuilder();
    String instance = String.format(
        Locale.ROOT,
        "%s x %d at $%.4f/h",
        prices.instanceType().isEmpty() ? "(INSTANCE_TYPE not set)" : prices.instanceType(),
        prices.instanceCount(),
        prices.hourlyPriceUsd());
    out.append(
        prices.serverless()
            ? "Hosting: serverless, billed per invocation (no endpoint-hours); 24/7 is an always-on "
                + instance + System.lineSeparator()
            : "Instance: " + instance + System.lineSeparator());
    if (report.showsServerless()) {
      out.append(String.format(
          Locale.ROOT,
          "Serverless: %s, %.1f GB-s at $%.5f/GB-s, %.3f GB at $%.3f/GB: $%.4f (in cost $)%n",
          Plurals.of(serverless.invocations(), "invocation"),
          serverless.gbSeconds(),
          prices.gbSecondUsd(),
          serverless.dataGb(),
          prices.dataGbUsd(),
          total.serverlessCostUsd()));
    }
    String header = String.format(
        Locale.ROOT,
        "%-10s %10s %9s %6s %7s %10s %10s %10s %10s %7s%n",
        "date",
        "endpoint-h",
        "outside-h",
        "starts",
        "images",
        "cost $",
        "$/image",
        "24/7 $",
        "saved $",
        "saved");
    if (report.endsToday() || report.startsLate()) {
      // Always-on counts the hours the ledger could have filled: from the stack's start, until now.
      out.append(String.format(
          Locale.ROOT,
          "Period: %s%s to %s (%s); 24/7 $ counts the same hours%n",
          report.days().getFirst().date(),
          report.startsLate() ? " " + report.from().toLocalTime().format(HH_MM) : "",
          report.endsToday()
              ? "today until " + report.until().toLocalTime().format(HH_MM)
              : report.days().getLast().date(),
          report.until().getZone().getId()));
    }
    out.append(header);
    int places = Math.max(
        dollarPlaces(total.costUsd()),
        Math.max(dollarPlaces(total.alwaysOnCostUsd()), dollarPlaces(total.savedUsd())));
    for (CostReport.Row r : report.days()) {
      out.append(line(r.date().toString(), r, places));
    }
    out.append(line("total", total, places));
    return out.toString();
  }

  /**
   * Decimal places that show {@code usd}: cents, unless it is under half a cent, which cents show as $0.00 (a stack up
   * for minutes: cost $0.00, 24/7 $0.00 beside "saved 83.5%" reads as nonsense); then as many as show it to two
   * significant digits, at most 6 (which still fit the columns). The table's cost, 24/7 and saved dollars all take
   * the most their total needs, so they add up on the page.
   */
  static int dollarPlaces(double usd) {
    if (!(usd > 0) || usd >= 0.005) {
      return 2;
    }
    return (int) Math.min(6, 1 - Math.floor(Math.log10(usd)));
  }

  private static String line(String label, CostReport.Row r, int places) {
    String dollars = "%10." + places + "f";
    return String.format(
        Locale.ROOT,
        "%-10s %10.2f %9.2f %6d %7d " + dollars + " %10s " + dollars + " " + dollars + " %6.1f%%%n",
        label,
        r.endpointHours(),
        r.outsideScheduleHours(),
        r.starts(),
        r.images(),
        r.costUsd(),
        Double.isNaN(r.costPerImageUsd())
            ? "-"
            : String.format(Locale.ROOT, "%.5f", r.costPerImageUsd()),
        r.alwaysOnCostUsd(),
        r.savedUsd(),
        r.savedPercent());
  }

  /** JSON lines: one object per day, then one with "date":"total". */
  static String json(CostReport report) {
    StringBuilder out = new StringBuilder();
    for (CostReport.Row r : report.days()) {
      out.append(json(report, r.date().toString(), r)).append('\n');
    }
    out.append(json(report, "total", report.total())).append('\n');
    return out.toString();
  }

  private static String json(CostReport report, String label, CostReport.Row r) {
    LedgerPrices prices = report.prices();
    ServerlessUsage serverless = report.serverless();
    java.time.ZonedDateTime until = report.until();
    ObjectNode o = JSON.createObjectNode();
    o.put("date", label);
    o.put(
        "until",
        (r.date() == null || r.date().equals(until.toLocalDate())
                ? until
                : r.date().plusDays(1).atStartOfDay(until.getZone()))
            .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    o.put("hosting", prices.hosting().value());
    o.put("instanceType", prices.instanceType());
    o.put("instanceCount", prices.instanceCount());
    o.put("hourlyPriceUsd", prices.hourlyPriceUsd());
    o.put("endpointHours", round(r.endpointHours(), 4));
    o.put("outsideScheduleHours", round(r.outsideScheduleHours(), 4));
    o.put("starts", r.starts());
    o.put("stops", r.stops());
    o.put("images", r.images());
    o.put("costUsd", round(r.costUsd(), 4));
    if (Double.isNaN(r.costPerImageUsd())) {
      o.putNull("costPerImageUsd");
    } else {
      o.put("costPerImageUsd", round(r.costPerImageUsd(), 6));
    }
    o.put("alwaysOnHours", round(r.alwaysOnHours(), 4));
    o.put("alwaysOnCostUsd", round(r.alwaysOnCostUsd(), 4));
    o.put("savedUsd", round(r.savedUsd(), 4));
    o.put("savedPercent", round(r.savedPercent(), 2));
    if (report.showsServerless()) {
      o.put("serverlessGbSeconds", round(r.gbSeconds(), 3));
      o.put("serverlessCostUsd", round(r.serverlessCostUsd(), 6));
    }
    if (r.date() == null && report.showsServerless()) {
      o.put("serverlessInvocations", serverless.invocations());
      o.put("serverlessDataGb", round(serverless.dataGb(), 6));
      o.put("serverlessGbSecondUsd", prices.gbSecondUsd());
      o.put("serverlessDataGbUsd", prices.dataGbUsd());
    }
    return o.toString();
  }

  private static double round(double v, int places) {
    double f = Math.pow(10, places);
    return Math.round(v * f) / f;
  }
}
