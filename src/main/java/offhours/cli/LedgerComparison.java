package offhours.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import offhours.endpoint.CostReport;
import offhours.endpoint.ServerlessUsage;
import offhours.endpoint.sim.HostingAssumptions;
import offhours.endpoint.sim.HostingComparison;
import offhours.endpoint.sim.HostingPrices;
import offhours.endpoint.sim.HostingRow;
import offhours.stack.Hosting;
import offhours.units.Plurals;

/**
 * {@code cost --compare}: the stack's own bill (its ledger's endpoint-hours, or for a serverless stack the invocations
 * recorded (offhours.aws.UsageLedger), priced as {@code cost} prices them; its results' waits) beside every other
 * hosting option on the same uploads: the uploads are the CLASSIFIED results of the period, at their upload time.
 */
final class LedgerComparison {

  private LedgerComparison() {}

  /**
   * The comparison of {@code ledger}'s period: its own bill and its CLASSIFIED results as {@link CostReport#fromAws}
   * read them (the report's one Query of the results table), uploaded and classified in the period; {@code budget}
   * is the wait each option's misses are counted against.
   */
  static HostingComparison compare(
      CostReport ledger,
      String description,
      LocalDate from,
      CostSettings settings,
      Duration budget) {
    ZoneId zone = settings.zone();
    // From the stack's start, as the report's always-on: no option is held to hours before it.
    Instant start = ledger.from().toInstant();
    // The report's end: today until now, as its always-on, so every option covers the hours the
    // ledger has had.
    Instant end = ledger.until().toInstant();
    LocalDate to = ledger.days().getLast().date();
    List<Instant[]> results = new ArrayList<>();
    // Classified in the period (the report's Query of the status index, from midnight to midnight:
    // here from the stack's start until now); uploaded in it too, so each wait is the period's.
    for (CostReport.Classified r : ledger.classified()) {
      if (r.classifiedAt().isBefore(start) || !r.classifiedAt().isBefore(end)) {
        continue;
      }
      // A result without its upload time (not written by offhours' consumer) cannot say how long it
      // waited.
      if (r.uploadedAt() != null && !r.uploadedAt().isBefore(start)) {
        results.add(new Instant[] {r.uploadedAt(), r.classifiedAt()});
      }
    }
    results.sort((a, b) -> a[0].compareTo(b[0]));
    List<Instant> uploads = results.stream().map(r -> r[0]).toList();
    HostingPrices prices = settings.hostingPrices();
    int days = (int) (to.toEpochDay() - from.toEpochDay() + 1);
    HostingComparison.Input in = new HostingComparison.Input(
        Terminal.printable(description),
        true,
        uploads,
        from,
        days,
        zone,
        settings.workingHours().orElse("the stack's WORKING_HOURS"),
        HostingAssumptions.defaults()
            .withServerlessMemoryGb(settings.serverlessMemoryMb() / 1024.0),
        prices,
        budget,
        end,
        start);
    return HostingComparison.withActual(in, actual(in, ledger, results, settings));
  }

  /**
   * The stack's own row: what its ledger cost, as the report prices it (endpoint-hours x instances x the hourly price,
   * plus the recorded serverless invocations at the serverless prices), in the unit its hosting bills.
   */
  static HostingRow actual(
      HostingComparison.Input in,
      CostReport ledger,
      List<Instant[]> results,
      CostSettings settings) {
    int count = settings.instanceCount();
    double hours = ledger.total().endpointHours() * count;
    ServerlessUsage used = ledger.serverless();
    String invocations = String.format(
        Locale.ROOT,
        "%s, %.3f GB of data",
        Plurals.of(used.invocations(), "serverless invocation"),
        used.dataGb());
    if (settings.hosting() == Hosting.SERVERLESS) {
      return HostingComparison.actual(
          in,
          "offhours (this stack, serverless)",
          used.gbSeconds(),
          "GB-s",
          ledger.total().costUsd(),
          results,
          "its ledger: " + invocations + ", " + settings.serverlessMemoryMb() + " MB"
              + (hours > 0
                  ? String.format(
                      Locale.ROOT, ", and %.2f endpoint-h before it was serverless", hours)
                  : ""));
    }
    return HostingComparison.actual(
        in,
        "offhours (this stack)",
        hours,
        "endpoint-h",
        ledger.total().costUsd(),
        results,
        String.format(
                Locale.ROOT,
                "its ledger: %s, %s",
                Plurals.of(ledger.total().starts(), "start"),
                Plurals.of(count, "instance"))
            + (used.invocations() > 0 ? ", and " + invocations : ""));
  }
}
