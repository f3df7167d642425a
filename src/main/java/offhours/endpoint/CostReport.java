package offhours.endpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import offhours.results.ResultItem;
import offhours.results.ResultItem.Verdict;
import offhours.results.ResultsTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The savings ledger as a report: per local day, endpoint-hours (from the ledger), images classified (results counted
 * by their {@code classifiedAt} date), cost = hours x instance count x hourly price, cost per image, the always-on
 * cost of the same day, and what was saved. "Always on" is the real length of the local day, so the spring DST day
 * has 23 hours and the autumn one 25.
 */
public final class CostReport {

  /** One day, or the total ({@code date} null). {@code costPerImageUsd} is NaN when no image was classified. */
  public record Row(
      LocalDate date,
      double endpointHours,
      double outsideScheduleHours,
      long starts,
      long stops,
      long images,
      double costUsd,
      double costPerImageUsd,
      double alwaysOnHours,
      double alwaysOnCostUsd,
      double savedUsd,
      double savedPercent) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<Row> days;
  private final Row total;
  private final String instanceType;
  private final int instanceCount;
  private final double hourlyPrice;
  private ServerlessUsage serverless = ServerlessUsage.NONE;

  private CostReport(
      List<Row> days, Row total, String instanceType, int instanceCount, double hourlyPrice) {
    this.days = List.copyOf(days);
    this.total = total;
    this.instanceType = instanceType;
    this.instanceCount = instanceCount;
    this.hourlyPrice = hourlyPrice;
  }

  /**
   * Computes the report for every local day from {@code from} to {@code to} inclusive; days without a ledger item had
   * no endpoint.
   */
  public static CostReport compute(
      List<Ledger.Day> ledger,
      Map<LocalDate, Long> imagesPerDay,
      LocalDate from,
      LocalDate to,
      ZoneId zone,
      String instanceType,
      int instanceCount,
      double hourlyPriceUsd) {
    return compute(
        ledger,
        imagesPerDay,
        Map.of(),
        from,
        to,
        zone,
        instanceType,
        instanceCount,
        hourlyPriceUsd);
  }

  /**
   * As above, with the invocation time hosting serverless spent per day (empty for the other hostings): its cost is
   * added to the day's cost, so the cost per image is the real one; "always on" stays an instance of the given price.
   */
  public static CostReport compute(
      List<Ledger.Day> ledger,
      Map<LocalDate, Long> imagesPerDay,
      Map<LocalDate, ServerlessUsage> usage,
      LocalDate from,
      LocalDate to,
      ZoneId zone,
      String instanceType,
      int instanceCount,
      double hourlyPriceUsd) {
    if (to.isBefore(from)) {
      throw new IllegalArgumentException(
          "the report ends (" + to + ") before it starts (" + from + ")");
    }
    Map<LocalDate, Ledger.Day> byDate = ledger.stream()
        .collect(Collectors.toMap(
            Ledger.Day::date, Function.identity(), Ledger.Day::plus, TreeMap::new));
    List<Row> rows = new ArrayList<>();
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      Ledger.Day day = byDate.getOrDefault(d, new Ledger.Day(d, 0, 0, 0, 0));
      double dayHours = Duration.between(d.atStartOfDay(zone), d.plusDays(1).atStartOfDay(zone))
              .toSeconds()
          / 3600.0;
      ServerlessUsage spent = usage.getOrDefault(d, ServerlessUsage.NONE);
      rows.add(row(
          d,
          day.endpointSeconds() / 3600.0,
          day.outsideScheduleSeconds() / 3600.0,
          day.starts(),
          day.stops(),
          imagesPerDay.getOrDefault(d, 0L),
          dayHours,
          instanceCount,
          hourlyPriceUsd,
          spent.costUsd()));
    }
    ServerlessUsage all = ServerlessUsage.NONE;
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      all = all.plus(usage.getOrDefault(d, ServerlessUsage.NONE));
    }
    Row total = row(
        null,
        rows.stream().mapToDouble(Row::endpointHours).sum(),
        rows.stream().mapToDouble(Row::outsideScheduleHours).sum(),
        rows.stream().mapToLong(Row::starts).sum(),
        rows.stream().mapToLong(Row::stops).sum(),
        rows.stream().mapToLong(Row::images).sum(),
        rows.stream().mapToDouble(Row::alwaysOnHours).sum(),
        instanceCount,
        hourlyPriceUsd,
        all.costUsd());
    CostReport report = new CostReport(rows, total, instanceType, instanceCount, hourlyPriceUsd);
    report.serverless = all;
    return report;
  }

  private static Row row(
      LocalDate date,
      double hours,
      double outside,
      long starts,
      long stops,
      long images,
      double alwaysOnHours,
      int count,
      double price,
      double serverlessCost) {
    double cost = hours * count * price + serverlessCost;
    double alwaysOn = alwaysOnHours * count * price;
    double savedPercent = alwaysOnHours == 0
        ? 0
        : serverlessCost == 0
            ? 100.0 * (1 - hours / alwaysOnHours)
            : alwaysOn == 0 ? 0 : 100.0 * (1 - cost / alwaysOn);
    return new Row(
        date,
        hours,
        outside,
        starts,
        stops,
        images,
        cost,
        images == 0 ? Double.NaN : cost / images,
        alwaysOnHours,
        alwaysOn,
        alwaysOn - cost,
        savedPercent);
  }

  /**
   * Reads the ledger from the control table and counts CLASSIFIED results per local day of {@code classifiedAt}. The
   * CLI calls it with the user's credentials and the table names from the stack outputs; {@code resultsTable} empty:
   * no image counts. (No function does: the controller's role cannot read the results table.)
   */
  public static CostReport fromAws(
      DynamoDbClient dynamo,
      String controlTable,
      String resultsTable,
      ZoneId zone,
      LocalDate from,
      LocalDate to,
      String instanceType,
      int instanceCount,
      double hourlyPriceUsd) {
    DynamoControlTable control = new DynamoControlTable(dynamo, controlTable);
    Map<LocalDate, Long> images = resultsTable == null || resultsTable.isEmpty()
        ? Map.of()
        : countClassified(dynamo, resultsTable, zone, from, to);
    return compute(
        control.days(from, to),
        images,
        control.serverlessUsage(from, to),
        from,
        to,
        zone,
        instanceType,
        instanceCount,
        hourlyPriceUsd);
  }

  /**
   * Counts the CLASSIFIED results of the period per local day, from the results table's status index: a Query of
   * the period, not a Scan of every result there is.
   */
  static Map<LocalDate, Long> countClassified(
      DynamoDbClient dynamo, String table, ZoneId zone, LocalDate from, LocalDate to) {
    Instant start = from.atStartOfDay(zone).toInstant();
    Instant end = to.plusDays(1).atStartOfDay(zone).toInstant();
    Map<LocalDate, Long> counts = new TreeMap<>();
    for (ResultItem r :
        new ResultsTable(dynamo, table).withStatusBetween(Verdict.CLASSIFIED, start, end)) {
      counts.merge(LocalDate.ofInstant(r.classifiedAt(), zone), 1L, Long::sum);
    }
    return counts;
  }

  public List<Row> days() {
    return days;
  }

  public Row total() {
    return total;
  }

  public String renderTable() {
    StringBuilder out = new StringBuilder();
    out.append(String.format(
        Locale.ROOT,
        "Instance: %s x %d at $%.4f/h%n",
        instanceType.isEmpty() ? "(INSTANCE_TYPE not set)" : instanceType,
        instanceCount,
        hourlyPrice));
    if (serverless.invocations() > 0) {
      out.append(String.format(
          Locale.ROOT,
          "Serverless: %d invocations, %.1f GB-s at $%.5f/GB-s, %.3f GB at $%.3f/GB:"
              + " $%.4f (in cost $)%n",
          serverless.invocations(),
          serverless.gbSeconds(),
          ServerlessUsage.GB_SECOND_USD,
          serverless.bytes() / 1e9,
          ServerlessUsage.DATA_GB_USD,
          serverless.costUsd()));
    }
    String header = String.format(
        Locale.ROOT,
        "%-10s %9s %9s %6s %7s %10s %10s %10s %10s %7s%n",
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
    out.append(header);
    for (Row r : days) {
      out.append(line(r.date().toString(), r));
    }
    out.append(line("total", total));
    return out.toString();
  }

  private static String line(String label, Row r) {
    return String.format(
        Locale.ROOT,
        "%-10s %9.2f %9.2f %6d %7d %10.2f %10s %10.2f %10.2f %6.1f%%%n",
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
  public String toJson() {
    StringBuilder out = new StringBuilder();
    for (Row r : days) {
      out.append(json(r.date().toString(), r)).append('\n');
    }
    out.append(json("total", total)).append('\n');
    return out.toString();
  }

  private String json(String label, Row r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("date", label);
    o.put("instanceType", instanceType);
    o.put("instanceCount", instanceCount);
    o.put("hourlyPriceUsd", hourlyPrice);
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
    if (r.date() == null && serverless.invocations() > 0) {
      o.put("serverlessInvocations", serverless.invocations());
      o.put("serverlessGbSeconds", round(serverless.gbSeconds(), 3));
      o.put("serverlessCostUsd", round(serverless.costUsd(), 6));
    }
    return o.toString();
  }

  private static double round(double v, int places) {
    double f = Math.pow(10, places);
    return Math.round(v * f) / f;
  }
}
