package offhours.endpoint;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import offhours.results.ResultItem.Verdict;
import offhours.results.ResultsTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The savings ledger as a report: per local day, endpoint-hours (from the ledger), images classified (results counted
 * by their {@code classifiedAt} date), cost = hours x instance count x hourly price plus the serverless invocations
 * recorded (offhours.aws.UsageLedger) at the serverless prices, cost per image, the always-on cost of the same day, and
 * what was saved. "Always on" is the real length of the local day, so the spring DST day has 23 hours and the autumn
 * one 25, and today is counted only until now: the ledger holds no hours that have not happened yet; nor hours before
 * the stack started, so its first day counts from that instant.
 */
public final class CostReport {
  private static final java.time.format.DateTimeFormatter SECONDS =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", java.util.Locale.ROOT);

  /**
   * One day, or the total ({@code date} null). {@code costPerImageUsd} is NaN when no image was classified.
   * {@code costUsd} includes {@code serverlessCostUsd}, the recorded serverless invocations ({@code gbSeconds}).
   */
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
      double savedPercent,
      double gbSeconds,
      double serverlessCostUsd) {}

  private final List<Row> days;
  private final Row total;
  private final LedgerPrices prices;
  private final ServerlessUsage serverless;
  private final ZonedDateTime from;
  private final ZonedDateTime until;
  private final List<Classified> classified;

  private CostReport(
      List<Row> days,
      Row total,
      LedgerPrices prices,
      ServerlessUsage serverless,
      ZonedDateTime from,
      ZonedDateTime until,
      List<Classified> classified) {
    this.classified = List.copyOf(classified);
    this.days = List.copyOf(days);
    this.total = total;
    this.prices = prices;
    this.serverless = serverless;
    this.from = from;
    this.until = until;
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
        LedgerPrices.instance(instanceType, instanceCount, hourlyPriceUsd),
        from.atStartOfDay(zone).toInstant(),
        to.plusDays(1).atStartOfDay(zone).toInstant());
  }

  /**
   * As above, with the serverless invocations recorded per day (none for the other hostings, unless the stack was
   * switched): their cost is in the day's cost, so the cost per image and the saving are the real ones; "always on"
   * stays an endpoint of the instance type, count and price of {@code prices}. The period ends at {@code now} when
   * {@code to} is today (else pass the end of {@code to}): today's always-on hours are those from
   * its midnight until {@code now} ({@link Ledger#alwaysOnHours}), as the UI's page and the API's /status count
   * today; the days before are whole, except the day of {@code since}, the instant the stack's accounting started
   * (pass midnight of {@code from} where it is not known), which counts from it, and the days before it, which count
   * none: an endpoint cannot have been on before its stack was.
   */
  public static CostReport compute(
      List<Ledger.Day> ledger,
      Map<LocalDate, Long> imagesPerDay,
      Map<LocalDate, ServerlessUsage> usage,
      LocalDate from,
      LocalDate to,
      ZoneId zone,
      LedgerPrices prices,
      Instant since,
      Instant now) {
    return compute(ledger, imagesPerDay, usage, from, to, zone, prices, since, now, List.of());
  }

  private static CostReport compute(
      List<Ledger.Day> ledger,
      Map<LocalDate, Long> imagesPerDay,
      Map<LocalDate, ServerlessUsage> usage,
      LocalDate from,
      LocalDate to,
      ZoneId zone,
      LedgerPrices prices,
      Instant since,
      Instant now,
      List<Classified> classified) {
    if (to.isBefore(from)) {
      throw new IllegalArgumentException(
          "the report ends (" + to + ") before it starts (" + from + ")");
    }
    Map<LocalDate, Ledger.Day> byDate = ledger.stream()
        .collect(Collectors.toMap(
            Ledger.Day::date, Function.identity(), Ledger.Day::plus, TreeMap::new));
    List<Row> rows = new ArrayList<>();
    ServerlessUsage all = ServerlessUsage.NONE;
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      Ledger.Day day = byDate.getOrDefault(d, new Ledger.Day(d, 0, 0, 0, 0));
      double dayHours = Ledger.alwaysOnHours(d, zone, since, now);
      ServerlessUsage spent = usage.getOrDefault(d, ServerlessUsage.NONE);
      all = all.plus(spent);
      rows.add(row(
          d,
          day.endpointSeconds() / 3600.0,
          day.outsideScheduleSeconds() / 3600.0,
          day.starts(),
          day.stops(),
          imagesPerDay.getOrDefault(d, 0L),
          dayHours,
          prices,
          spent));
    }
    Row total = row(
        null,
        rows.stream().mapToDouble(Row::endpointHours).sum(),
        rows.stream().mapToDouble(Row::outsideScheduleHours).sum(),
        rows.stream().mapToLong(Row::starts).sum(),
        rows.stream().mapToLong(Row::stops).sum(),
        rows.stream().mapToLong(Row::images).sum(),
        rows.stream().mapToDouble(Row::alwaysOnHours).sum(),
        prices,
        all);
    Instant start = from.atStartOfDay(zone).toInstant();
    Instant end = to.plusDays(1).atStartOfDay(zone).toInstant();
    return new CostReport(
        rows,
        total,
        prices,
        all,
        (since.isAfter(start) ? (since.isBefore(end) ? since : end) : start).atZone(zone),
        (now.isBefore(end) ? now : end).atZone(zone),
        classified);
  }

  private static Row row(
      LocalDate date,
      double hours,
      double outside,
      long starts,
      long stops,
      long images,
      double alwaysOnHours,
      LedgerPrices prices,
      ServerlessUsage spent) {
    double serverlessCost = prices.serverlessUsd(spent);
    double cost = prices.endpointUsd(hours) + serverlessCost;
    double alwaysOn = prices.endpointUsd(alwaysOnHours);
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
        LedgerPrices.savedPercent(hours, alwaysOnHours, cost, alwaysOn, serverlessCost),
        spent.gbSeconds(),
        serverlessCost);
  }

  /** A table a report reads, for {@link Reads}. */
  public enum Table {
    CONTROL,
    RESULTS
  }

  /**
   * How {@link #fromAws} makes each of its reads, of one {@link Table}: as they come ({@link #AS_THEY_COME}), or
   * through the caller's hands, as the CLI's, which names a table that does not exist.
   */
  public interface Reads {
    <T> T of(Table table, Supplier<T> read);

    Reads AS_THEY_COME = new Reads() {
      @Override
      public <T> T of(Table table, Supplier<T> read) {
        return read.get();
      }
    };
  }

  /**
   * A CLASSIFIED result of the report's period: when its upload arrived (null when its item has none: not written by
   * offhours' consumer) and when it was classified, on which {@code cost --compare} prices the other hosting options.
   */
  public record Classified(Instant uploadedAt, Instant classifiedAt) {}

  /**
   * The report of {@code from} to {@code to} (as {@link #compute}), read once: the ledger from the control table, and
   * the CLASSIFIED results of the period, one Query of the results table's status index, counted per local day of
   * their {@code classifiedAt} and kept ({@link #classified}), each read through {@code reads}. The CLI calls it with
   * the user's credentials and the table names from the stack outputs, as the UI does; {@code resultsTable} empty: no
   * image counts. (No function does: the controller's role cannot read the results table.)
   */
  public static CostReport fromAws(
      DynamoDbClient dynamo,
      String controlTable,
      String resultsTable,
      ZoneId zone,
      LocalDate from,
      LocalDate to,
      LedgerPrices prices,
      Instant since,
      Instant now,
      Reads reads) {
    Instant start = from.atStartOfDay(zone).toInstant();
    Instant end = to.plusDays(1).atStartOfDay(zone).toInstant();
    List<Classified> classified = resultsTable == null || resultsTable.isEmpty()
        ? List.of()
        : reads.of(
            Table.RESULTS,
            () -> new ResultsTable(dynamo, resultsTable)
                .withStatusBetween(Verdict.CLASSIFIED, start, end).stream()
                    .map(r -> new Classified(r.uploadedAt(), r.classifiedAt()))
                    .toList());
    DynamoControlTable.LedgerRange ledger = reads.of(
        Table.CONTROL, () -> new DynamoControlTable(dynamo, controlTable).ledger(from, to));
    Map<LocalDate, Long> images = new TreeMap<>();
    classified.forEach(
        r -> images.merge(LocalDate.ofInstant(r.classifiedAt(), zone), 1L, Long::sum));
    return compute(
        ledger.days(), images, ledger.serverless(), from, to, zone, prices, since, now, classified);
  }

  /** The CLASSIFIED results the report counted, as {@link #fromAws} read them; none for one computed from counts. */
  public List<Classified> classified() {
    return classified;
  }

  public List<Row> days() {
    return days;
  }

  public Row total() {
    return total;
  }

  /**
   * The stack's start as its report counts always-on from ({@link Ledger#stackStart}): the earlier of the ledger's
   * start recorded in {@code controlTable} (one GetItem) and {@code known}, what the caller knows of it
   * (CloudFormation's CreationTime, the local stack's state file).
   */
  public static StackStart stackStart(
      DynamoDbClient dynamo, String controlTable, Optional<Instant> known) {
    return StackStart.of(new DynamoControlTable(dynamo, controlTable).started(), known);
  }

  /**
   * A stack's start ({@link #stackStart}), and whether it is the one its ledger recorded (else the caller's, if any).
   */
  public record StackStart(Optional<Instant> at, boolean recorded) {

    /** The earlier of the ledger's {@code recorded} start and the one {@code known} otherwise (Ledger.stackStart). */
    public static StackStart of(Optional<Instant> recorded, Optional<Instant> known) {
      Optional<Instant> at = Ledger.stackStart(recorded, known);
      return new StackStart(at, recorded.isPresent() && at.equals(recorded));
    }

    /** How the start came, after the stack's name: "'s ledger starts", " started" (a local one), " was created". */
    public String how(boolean local) {
      return recorded ? "'s ledger starts" : local ? " started" : " was created";
    }
  }

  /**
   * Whether the period holds no hour: the stack started at or after now by this machine's clock (a clock behind, just
   * after a deploy), so there is nothing yet to compare with another hosting or with an always-on endpoint.
   */
  public boolean nothingToCompareYet() {
    return !from.isBefore(until);
  }

  /**
   * What a reader says when {@link #nothingToCompareYet()}, up to what to do, which is its own: "nothing to compare
   * yet: stack prod was created at 2026-11-25 12:00:03 UTC, not before now by this machine's clock (2026-11-25
   * 12:00:02)". {@code stack} is the stack and how it started ({@link StackStart#how}), {@code start} its start.
   */
  public String nothingToCompareYet(String stack, Optional<Instant> start) {
    ZoneId zone = from.getZone();
    return "nothing to compare yet: " + stack + " at "
        + SECONDS.format(start.map(t -> t.atZone(zone)).orElse(from)) + " " + zone.getId()
        + ", not before now by this machine's clock (" + SECONDS.format(until) + ")";
  }

  /**
   * Where the period starts: midnight of its first day, or the instant the stack's accounting started when that is
   * later (always-on counted from then).
   */
  public ZonedDateTime from() {
    return from;
  }

  /** Whether the period starts after midnight of its first day: when the stack started. */
  public boolean startsLate() {
    return !from.equals(days.getFirst().date().atStartOfDay(from.getZone()));
  }

  /**
   * Where the period ends: the end of its last day, or now when that day is today (always-on counted until then).
   */
  public ZonedDateTime until() {
    return until;
  }

  /** Whether the period stops before the end of its last day: today, until now. */
  public boolean endsToday() {
    return !until.equals(days.getLast().date().plusDays(1).atStartOfDay(until.getZone()));
  }

  public LedgerPrices prices() {
    return prices;
  }

  /** The serverless invocations recorded in the period. */
  public ServerlessUsage serverless() {
    return serverless;
  }

  /** Whether the report shows serverless usage: the stack is serverless, or some was recorded (a switched stack). */
  boolean showsServerless() {
    return prices.serverless() || serverless.invocations() > 0;
  }

  public String renderTable() {
    return CostReportText.table(this);
  }

  /** JSON lines: one object per day, then one with "date":"total". */
  public String toJson() {
    return CostReportText.json(this);
  }
}
