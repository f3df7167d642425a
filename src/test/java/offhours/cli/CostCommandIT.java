package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import offhours.endpoint.DynamoControlTable;
import offhours.endpoint.Ledger;
import offhours.testing.AwsServicesExtension;
import org.junit.jupiter.api.Test;

/**
 * {@code offhours cost} over a local stack's ledger on moto_server (started by {@link AwsServicesExtension}): the
 * days it counts and the zone it dates them in.
 */
class CostCommandIT extends OnMotoStack {
  @Test
  void costReadsTheLedgerAndCountsEachDaysClassifiedImages() {
    // The day after the local stack (this JVM) started: a whole day it existed.
    String date = afterStart(1).toString();
    new DynamoControlTable(moto.dynamoDb, moto.controlTable)
        .add(new Ledger.Day(java.time.LocalDate.parse(date), 7200, 0, 1, 1));
    moto.putResult("cats/tom.jpg", "CLASSIFIED", "Neutral", 0.91, null, date + "T10:00:01Z");
    moto.putResult("dogs/rex.jpg", "CLASSIFIED", "Neutral", 0.77, null, date + "T10:00:05Z");
    moto.putResult("notes.png", "REJECTED", null, null, "not an image", date + "T10:00:06Z");
    Clock evening =
        Clock.fixed(java.time.Instant.parse(date + "T20:00:00Z"), java.time.ZoneOffset.UTC);

    CliRun run =
        moto.run(evening, "cost", "--days", "1", "--time-zone", "UTC", "--price", "0.5", "--json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<JsonNode> lines = CliRun.jsonLinesOf(run);
    assertThat(lines).extracting(j -> j.get("date").asText()).containsExactly(date, "total");
    JsonNode day = lines.getFirst();
    assertThat(day.get("endpointHours").asDouble()).isEqualTo(2.0);
    assertThat(day.get("images").asInt()).as("CLASSIFIED results only").isEqualTo(2);
    assertThat(day.get("costUsd").asDouble()).isEqualTo(1.0);
    assertThat(day.get("costPerImageUsd").asDouble()).isEqualTo(0.5);
    // The command's clock says 20:00 of that day in UTC: always-on has been on for 20 h so far (not
    // the day's 24, hours the ledger cannot hold yet): 20 h x $0.5.
    assertThat(day.get("alwaysOnHours").asDouble()).isEqualTo(20.0);
    assertThat(day.get("alwaysOnCostUsd").asDouble()).isEqualTo(10.0);
    assertThat(day.get("savedPercent").asDouble()).as("1 - 2 h / 20 h").isEqualTo(90.0);
    assertThat(day.get("until").asText()).isEqualTo(date + "T20:00:00Z");
    assertThat(moto.run(evening, "cost", "--days", "1", "--time-zone", "UTC", "--price", "0.5")
            .out())
        .contains("Period: " + date + " to today until 20:00 (UTC)");
  }

  @Test
  void costDatesTheLocalStacksLedgerInTheZoneLocalStartRanInWhateverZoneTheCommandRunsIn()
      throws IOException {
    // The state file as 'local start' writes it in Europe/Berlin: its controller keeps the ledger's
    // days in Berlin.
    withSettings(Map.of(
        "TIME_ZONE", "Europe/Berlin",
        "HOSTING", "scheduled",
        "WORKING_HOURS", "",
        "HOLIDAYS", "",
        "MAX_WAIT_MINUTES", "0",
        "INSTANCE_TYPE", "ml.m5.large",
        "INSTANCE_COUNT", "1",
        "INSTANCE_HOURLY_PRICE_USD", "0.115",
        "SERVERLESS_MEMORY_MB", "2048"));
    // 15 min of endpoint time just after midnight in Berlin, on a day that is still the day before
    // in UTC; days after the local stack (this JVM) started.
    java.time.LocalDate utcDay = afterStart(2);
    java.time.LocalDate berlinDay = utcDay.plusDays(1);
    new DynamoControlTable(moto.dynamoDb, moto.controlTable)
        .add(new Ledger.Day(berlinDay, 900, 0, 1, 1));
    // The command runs in UTC, at 00:45 in Berlin.
    Clock inUtc =
        Clock.fixed(java.time.Instant.parse(utcDay + "T23:45:00Z"), java.time.ZoneOffset.UTC);

    CliRun run = moto.run(inUtc, "cost", "--days", "1", "--json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode day = CliRun.jsonLinesOf(run).getFirst();
    assertThat(day.get("date").asText())
        .as("Berlin's day, not UTC's")
        .isEqualTo(berlinDay.toString());
    assertThat(day.get("endpointHours").asDouble()).isEqualTo(0.25);
    assertThat(day.get("alwaysOnHours").asDouble())
        .as("Berlin's midnight to 00:45")
        .isEqualTo(0.75);
    assertThat(day.get("until").asText()).isEqualTo(berlinDay + "T00:45:00+01:00");
    assertThat(moto.run(inUtc, "cost", "--days", "1").out())
        .contains("Period: " + berlinDay + " to today until 00:45 (Europe/Berlin)");
    // --time-zone still wins: UTC's day before, which has no endpoint time.
    JsonNode utc = CliRun.jsonLinesOf(
            moto.run(inUtc, "cost", "--days", "1", "--time-zone", "UTC", "--json"))
        .getFirst();
    assertThat(utc.get("date").asText()).isEqualTo(utcDay.toString());
    assertThat(utc.get("endpointHours").asDouble()).isZero();
  }

  @Test
  void costOnANewStackCountsOnlyTheDaysSinceTheStackStarted() {
    // The state file's process is this JVM: the "local stack" started when it did.
    Instant startedAt = ProcessHandle.current().info().startInstant().orElseThrow();
    java.time.LocalDate started =
        java.time.LocalDate.ofInstant(startedAt, java.time.ZoneOffset.UTC);
    // The command's "today" is this instant's, not its own reading of the wall clock: a run across
    // midnight would count one day more than expected here.
    Instant now = Instant.now();
    java.time.LocalDate today = java.time.LocalDate.ofInstant(now, java.time.ZoneOffset.UTC);

    CliRun run = weekOfCostInUtc(now);

    List<JsonNode> lines = CliRun.jsonLinesOf(run);
    assertThat(lines.getFirst().get("date").asText()).isEqualTo(started.toString());
    assertThat(lines)
        .hasSize(
            (int) java.time.temporal.ChronoUnit.DAYS.between(started, today) + 2); // days + total
    assertThat(run.err())
        .isEqualTo(countingFrom(startedAt, java.time.ZoneOffset.UTC, "the local stack started"));
    // Always-on from that instant, not from midnight of its day.
    assertThat(lines.getFirst().get("alwaysOnHours").asDouble())
        .isEqualTo(alwaysOnHoursOfTheFirstDay(startedAt, now));
  }

  /** {@code cost} of the last 7 days in UTC, as JSON, run at {@code now}. */
  private CliRun weekOfCostInUtc(Instant now) {
    return moto.run(
        Clock.fixed(now, java.time.ZoneOffset.UTC),
        "cost",
        "--days",
        "7",
        "--time-zone",
        "UTC",
        "--json");
  }

  /** The hours of its first UTC day an always-on endpoint started at {@code start} had by {@code now}, as cost rounds. */
  private static double alwaysOnHoursOfTheFirstDay(Instant start, Instant now) {
    java.time.LocalDate day = java.time.LocalDate.ofInstant(start, java.time.ZoneOffset.UTC);
    Instant end = day.plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
    long seconds =
        java.time.Duration.between(start, now.isBefore(end) ? now : end).toSeconds();
    return Math.round(seconds / 3600.0 * 10_000) / 10_000.0;
  }

  @Test
  void costCountsFromTheLedgersRecordedStartWhenThatIsEarlierThanTheStacksAsStatusAndThePageDo() {
    // The local stack's state file says it started when this JVM did; its ledger says it counted
    // an hour before (as a stack an older version's controller ran is given midnight of its
    // ledger's first day). The earlier wins; a later recorded start loses to the stack's own
    // (Ledger.stackStart: an upload made before the controller's first run is the stack's).
    Instant startedAt = ProcessHandle.current().info().startInstant().orElseThrow();
    Instant now = Instant.now();
    Instant firstRun = startedAt.minus(java.time.Duration.ofHours(1));
    new DynamoControlTable(moto.dynamoDb, moto.controlTable).start(firstRun);

    CliRun run = weekOfCostInUtc(now);

    assertThat(run.err())
        .isEqualTo(
            countingFrom(firstRun, java.time.ZoneOffset.UTC, "the local stack's ledger starts"));
    assertThat(CliRun.jsonLinesOf(run).getFirst().get("alwaysOnHours").asDouble())
        .as("from the ledger's recorded start, the earlier")
        .isEqualTo(alwaysOnHoursOfTheFirstDay(firstRun, now));
  }

  /** A day {@code days} after the local stack (this JVM, its state file's process) started, in UTC. */
  private static java.time.LocalDate afterStart(int days) {
    return java.time.LocalDate.ofInstant(
            ProcessHandle.current().info().startInstant().orElseThrow(), java.time.ZoneOffset.UTC)
        .plusDays(days);
  }
}
