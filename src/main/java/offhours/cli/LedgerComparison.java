package offhours.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import offhours.endpoint.CostReport;
import offhours.endpoint.sim.HostingAssumptions;
import offhours.endpoint.sim.HostingComparison;
import offhours.endpoint.sim.HostingPrices;
import offhours.endpoint.sim.HostingRow;
import offhours.results.ResultItem;
import offhours.results.ResultsTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code cost --compare}: the stack's own bill (its ledger's endpoint-hours, its results' waits) beside every other
 * hosting option on the same uploads: the uploads are the CLASSIFIED results of the period, at their upload time.
 */
final class LedgerComparison {

  private LedgerComparison() {}

  static HostingComparison compare(
      Invocation call,
      DynamoDbClient dynamo,
      String resultsTable,
      CostReport ledger,
      String description,
      LocalDate from,
      LocalDate to,
      CostSettings settings) {
    ZoneId zone = settings.zone();
    int count = settings.instanceCount();
    // The stack's own budget when it has one in minutes: the misses it is held to.
    Duration budget = Duration.ofMinutes(LocalCommand.positive(
        call.args(), HostingOptions.MAX_WAIT, settings.maxWaitMinutes().orElse(60L)));
    Instant start = from.atStartOfDay(zone).toInstant();
    Instant end = to.plusDays(1).atStartOfDay(zone).toInstant();
    List<Instant[]> results = new ArrayList<>();
    // Classified in the period (a Query of the status index); uploaded in it too, so each wait is
    // the period's.
    for (ResultItem r : new ResultsTable(dynamo, resultsTable)
        .withStatusBetween(ResultItem.Verdict.CLASSIFIED, start, end)) {
      // A result without its upload time (not written by offhours' consumer) cannot say how long it
      // waited.
      if (r.uploadedAt() != null && !r.uploadedAt().isBefore(start)) {
        results.add(new Instant[] {r.uploadedAt(), r.classifiedAt()});
      }
    }
    results.sort((a, b) -> a[0].compareTo(b[0]));
    List<Instant> uploads = results.stream().map(r -> r[0]).toList();
    HostingPrices prices =
        HostingOptions.prices(call.args(), settings.instanceType(), settings.hourlyPriceUsd());
    int days = (int) (to.toEpochDay() - from.toEpochDay() + 1);
    HostingComparison.Input in = new HostingComparison.Input(
        Terminal.printable(description),
        uploads,
        from,
        days,
        zone,
        settings.workingHours().orElse("the stack's WORKING_HOURS"),
        HostingAssumptions.defaults(),
        prices,
        budget);
    double hours = ledger.total().endpointHours() * count;
    HostingRow actual = HostingComparison.actual(
        in,
        "offhours (this stack)",
        hours,
        results,
        String.format(
            Locale.ROOT, "its ledger: %d starts, %d instance(s)", ledger.total().starts(), count));
    return HostingComparison.withActual(in, actual);
  }
}
