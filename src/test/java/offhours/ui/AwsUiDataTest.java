package offhours.ui;

import static offhours.endpoint.ControlStateBuilder.controlState;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import offhours.api.Forecast;
import offhours.api.ResultsQuery;
import offhours.api.StackObserver;
import offhours.api.StatusView;
import offhours.endpoint.DynamoControlTable;
import offhours.endpoint.LedgerPrices;
import offhours.endpoint.Schedule;
import offhours.results.FakeResultIndexes;
import offhours.results.LiveSettings;
import offhours.stack.Hosting;
import offhours.testing.FakeDynamoDb;
import offhours.testing.QueueAttributesSqs;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The page's results say of each classification whether it was made under the settings the stack runs with now; its
 * status says the working hours, when an upload made now is expected and the oldest wait.
 */
class AwsUiDataTest {

  private static final String LIVE = "f74d3ec496f3";

  private final FakeResultIndexes table = new FakeResultIndexes()
      .classified("cats/current.png", "Cat", "2026-11-25T12:00:00Z", LIVE)
      .classified("cats/older.png", "Cat", "2026-11-25T11:00:00Z", "0123456789ab")
      .classified("cats/before.png", "Cat", "2026-11-25T10:00:00Z", null)
      .rejected("dogs/bad.png", "2026-11-25T09:00:00Z");

  @Test
  void eachResultSaysWhetherItsSettingsAreTheLiveOnesAndThePageWhatTheyAreComparedWith() {
    LiveSettings live = new LiveSettings(LIVE, true, "compared with <b>the stack's</b>");
    Map<String, Object> page =
        data(live).results(new ResultsQuery.Filter(null, null, null), 10, null);

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> results = (List<Map<String, Object>>) page.get("results");
    assertThat(results)
        .as("a verdict's settings are null, as GET /results and results --json show them")
        .extracting(r -> r.get("key") + " " + r.get("settings"))
        .containsExactly(
            "cats/current.png current",
            "cats/older.png changed",
            "cats/before.png unknown",
            "dogs/bad.png null");
    assertThat(page.get("settings"))
        .isEqualTo(
            Map.of("known", true, "exact", true, "basis", "compared with <b>the stack's</b>"));
  }

  @Test
  void aRejectedResultOfAKnownKindCarriesWhatToDoAsResultsSaysItAndNoOtherResultDoes() {
    table.rejected(
        "dogs/cut.jpg", "2026-11-25T08:00:00Z", "object s3://b/dogs/cut.jpg is empty (0 bytes)");
    Map<String, Object> page = data(new LiveSettings(LIVE, true, "compared"))
        .results(new ResultsQuery.Filter(null, null, null), 10, null);

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> results = (List<Map<String, Object>>) page.get("results");
    assertThat(results).extracting(r -> r.get("key")).endsWith("dogs/bad.png", "dogs/cut.jpg");
    assertThat(results.getLast().get("hint"))
        .isEqualTo(Map.of(
            "kind", "cut short or damaged",
            "todo", "upload the whole file again under the same key"));
    assertThat(results.subList(0, results.size() - 1))
        .as("classifications, and a reason of no known kind ('not an image'), have none")
        .allSatisfy(r -> assertThat(r).containsEntry("hint", null));
  }

  @Test
  void withoutKnownSettingsThePageIsToldSo() {
    Map<String, Object> page = data(new LiveSettings(null, false, "no classification yet"))
        .results(new ResultsQuery.Filter(null, null, null), 10, null);

    assertThat(page.get("settings"))
        .isEqualTo(Map.of("known", false, "exact", false, "basis", "no classification yet"));
  }

  @Test
  void
      theLedgersSinceIsTheEarlierOfTheRecordedStartAndTheStacksCreationToTheMinuteInTheStacksZone() {
    FakeDynamoDb dynamo = new FakeDynamoDb();
    ZoneId paris = ZoneId.of("Europe/Paris");
    Instant created = Instant.parse("2026-11-24T13:50:00Z"); // 14:50 in Paris
    Clock now = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), java.time.ZoneOffset.UTC);
    AwsUiData page = ledgerPage(dynamo, null, paris, now, Optional.of(created));

    assertThat(page.ledger(7))
        .as("before the controller's first run: the stack's CreationTime")
        .containsEntry("since", LocalDate.parse("2026-11-24"))
        .containsEntry("sinceTime", "14:50")
        .containsEntry("timeZone", "Europe/Paris");

    // The controller's first run, 7 minutes later: the stack existed before it, so still 14:50.
    new DynamoControlTable(dynamo, "control").start(created.plusSeconds(7 * 60));
    assertThat(page.ledger(7))
        .as("a recorded start after the creation: the creation")
        .containsEntry("since", LocalDate.parse("2026-11-24"))
        .containsEntry("sinceTime", "14:50");

    // A ledger that counted before the creation the page was told (an older stack's, given
    // midnight of its first day): the recorded start.
    FakeDynamoDb older = new FakeDynamoDb();
    new DynamoControlTable(older, "control").start(Instant.parse("2026-11-23T23:00:00Z"));
    AwsUiData olderPage = ledgerPage(older, null, paris, now, Optional.of(created));
    assertThat(olderPage.ledger(7))
        .as("a recorded start before the creation: the recorded start")
        .containsEntry("since", LocalDate.parse("2026-11-24"))
        .containsEntry("sinceTime", "00:00");
  }

  @Test
  void aStackCreatedAfterNowByThisMachinesClockHasNothingToCompareYetAsCostCompareSaysIt() {
    ZoneId paris = ZoneId.of("Europe/Paris");
    Instant now = Instant.parse("2026-11-25T12:00:02Z");
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    // Created by a clock a second ahead of this machine's: the period would start after it ends.
    AwsUiData ahead =
        ledgerPage(new FakeDynamoDb(), null, paris, clock, Optional.of(now.plusSeconds(1)));

    assertThat(ahead.ledger(7))
        .containsEntry(
            "nothingYet",
            "nothing to compare yet: stack prod was created at 2026-11-25 13:00:03 Europe/Paris, not"
                + " before now by this machine's clock (2026-11-25 13:00:02); the ledger counts the hours"
                + " from then until now: check the clock, or look again later");

    AwsUiData before =
        ledgerPage(new FakeDynamoDb(), null, paris, clock, Optional.of(now.minusSeconds(1)));
    assertThat(before.ledger(7))
        .as("a stack created a second before now has that second to count")
        .containsEntry("nothingYet", null)
        .containsEntry("sinceTime", "13:00");
  }

  @Test
  void aRefreshReadsTheLedgersStartUntilTheControllerHasRecordedItThenKeepsIt() {
    FakeDynamoDb dynamo = new FakeDynamoDb();
    AwsUiData page = ledgerPage(
        dynamo,
        new QueueAttributesSqs(new ArrayList<>()),
        ZoneOffset.UTC,
        Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC),
        Optional.empty());

    // A refresh of the page: its status and its ledger.
    page.status();
    page.ledger(7);
    assertThat(dynamo.getsOf("ledgerStart"))
        .as("before the controller's first run: asked by each part of the refresh")
        .isEqualTo(2);

    Instant first = Instant.parse("2026-11-25T07:40:00Z");
    new DynamoControlTable(dynamo, "control").start(first);
    for (int i = 0; i < 3; i++) {
      page.status();
      assertThat(page.ledger(7)).as("refresh %d", i).containsEntry("sinceTime", "07:40");
    }
    assertThat(dynamo.getsOf("ledgerStart"))
        .as("read once more, then kept: the controller writes it once")
        .isEqualTo(3);
  }

  @Test
  void theStatusSaysTheWorkingHoursAnUploadMadeNowAndTheOldestWaitOfWhatItObserved() {
    FakeDynamoDb dynamo = new FakeDynamoDb();
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    // A Wednesday, 22:00 in Berlin; the last run 30 s before, the queue empty at 21:40.
    Instant now = Instant.parse("2026-11-25T21:00:00Z");
    Instant lastRun = Instant.parse("2026-11-25T20:59:30Z");
    new DynamoControlTable(dynamo, "control")
        .save(
            controlState()
                .lastRun(lastRun, false)
                .backlogSince(Instant.parse("2026-11-25T20:40:00Z"))
                .build(),
            0);
    QueueAttributesSqs sqs = new QueueAttributesSqs(new ArrayList<>());
    sqs.attributes = Map.of(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "3");
    Schedule hours = Schedule.parse("Mon-Fri 08:00-19:00", berlin, Set.of());
    Forecast forecast = new Forecast(
        Instant.parse("2026-11-26T07:29:00Z"),
        Instant.parse("2026-11-26T08:00:00Z"),
        "the oldest of 4 waiting is due by <b>09:00</b>");
    List<StackObserver.Observed> asked = new ArrayList<>();
    AwsUiData page = new AwsUiData(
        new AwsUiData.StackView(
            "stack prod",
            null,
            null,
            dynamo,
            sqs,
            "b",
            "q",
            "dlq",
            "",
            "control",
            "e",
            Optional.empty(),
            false),
        Clock.fixed(now, ZoneOffset.UTC),
        action -> Map.of(),
        FixedPageSettings.of(
            new AwsUiData.Pricing(
                berlin, LedgerPrices.listed(Hosting.SCHEDULED, "ml.m5.large", 1, 0.115)),
            () -> null,
            seen -> {
              asked.add(seen);
              return StatusView.Upcoming.known(hours, forecast);
            }));

    Map<String, Object> status = page.status();

    assertThat(asked)
        .as("made of the status's own reads: the stored state, the queue's counts, now")
        .singleElement()
        .satisfies(seen -> {
          assertThat(seen.at()).isEqualTo(now);
          assertThat(seen.queue().visible()).isEqualTo(3);
          assertThat(seen.control().lastRunAt()).isEqualTo(lastRun);
          assertThat(seen.zone()).isEqualTo(berlin);
        });
    assertThat(status.get("schedule"))
        .isEqualTo(Map.of(
            "workingHours", hours.toString(),
            "open", false,
            "nextChange", Instant.parse("2026-11-26T07:00:00Z")));
    assertThat(status).doesNotContainKeys("scheduleNote", "nextUploadNote");
    assertThat(status.get("nextUpload"))
        .isEqualTo(Map.of(
            "startsAt", forecast.startsAt(),
            "expectedAt", forecast.expectedAt(),
            "reason", forecast.reason()));
    assertThat(status.get("oldestWaiting"))
        .isEqualTo(Map.of(
            "waiting",
            true,
            "queueEmptyAt",
            "2026-11-25T20:40:00Z",
            "atMostSeconds",
            19L * 60 + 30,
            "asOf",
            "2026-11-25T20:59:30Z",
            "says",
            "at most 20 min at the controller's run at 2026-11-25 21:59 Europe/Berlin (it"
                + " arrived after 2026-11-25 21:40 Europe/Berlin, the last run that saw the queue"
                + " empty)"));
  }

  @Test
  void whatTheStacksSettingsDoNotSayThePageSaysIsUnknownAndWhy() {
    FakeDynamoDb dynamo = new FakeDynamoDb();
    AwsUiData page = new AwsUiData(
        new AwsUiData.StackView(
            "the local stack",
            null,
            null,
            dynamo,
            new QueueAttributesSqs(new ArrayList<>()),
            "b",
            "q",
            "dlq",
            "",
            "control",
            "e",
            Optional.empty(),
            true),
        Clock.fixed(Instant.parse("2026-11-25T21:00:00Z"), ZoneOffset.UTC),
        action -> Map.of(),
        FixedPageSettings.of(
            new AwsUiData.Pricing(
                ZoneOffset.UTC, LedgerPrices.listed(Hosting.SCHEDULED, "ml.m5.large", 1, 0.115)),
            () -> null,
            seen -> new StatusView.Upcoming(
                null,
                "the state file does not record WORKING_HOURS",
                null,
                "the state file does not record WAKE_BACKLOG_MESSAGES")));

    Map<String, Object> status = page.status();

    assertThat(status)
        .containsEntry("schedule", null)
        .containsEntry("scheduleNote", "the state file does not record WORKING_HOURS")
        .containsEntry("nextUpload", null)
        .containsEntry("nextUploadNote", "the state file does not record WAKE_BACKLOG_MESSAGES")
        .as("before the controller's first run")
        .containsEntry("oldestWaiting", null);
  }

  /** A page on {@code dynamo}'s control table "control", priced as one ml.m5.large in {@code zone}. */
  private static AwsUiData ledgerPage(
      FakeDynamoDb dynamo, SqsClient sqs, ZoneId zone, Clock clock, Optional<Instant> created) {
    return new AwsUiData(
        new AwsUiData.StackView(
            "stack prod",
            null,
            null,
            dynamo,
            sqs,
            "b",
            "q",
            "dlq",
            "",
            "control",
            "e",
            created,
            false),
        clock,
        action -> Map.of(),
        FixedPageSettings.of(
            new AwsUiData.Pricing(
                zone, LedgerPrices.listed(Hosting.SCHEDULED, "ml.m5.large", 1, 0.115)),
            () -> null,
            seen -> new StatusView.Upcoming(null, "not read here", null, "not read here")));
  }

  private AwsUiData data(LiveSettings live) {
    return new AwsUiData(
        new AwsUiData.StackView(
            "stack prod",
            null,
            null,
            table,
            null,
            "b",
            "q",
            "dlq",
            "t",
            "c",
            "e",
            Optional.empty(),
            false),
        Clock.systemUTC(),
        action -> Map.of(),
        FixedPageSettings.of(
            null,
            () -> live,
            seen -> new StatusView.Upcoming(null, "not read here", null, "not read here")));
  }
}
