package offhours.ui;

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
import offhours.api.ResultsQuery;
import offhours.endpoint.DynamoControlTable;
import offhours.endpoint.LedgerPrices;
import offhours.results.FakeResultIndexes;
import offhours.results.LiveSettings;
import offhours.stack.Hosting;
import offhours.testing.FakeDynamoDb;
import offhours.testing.QueueAttributesSqs;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The page's results say of each classification whether it was made under the settings the stack runs with now. */
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

  /** A page on {@code dynamo}'s control table "control", priced as one ml.m5.large in {@code zone}. */
  private static AwsUiData ledgerPage(
      FakeDynamoDb dynamo, SqsClient sqs, ZoneId zone, Clock clock, Optional<Instant> created) {
    return new AwsUiData(
        new AwsUiData.StackView(
            "stack prod", null, dynamo, sqs, "b", "q", "dlq", "", "control", "e", created, false),
        new AwsUiData.Pricing(
            zone, LedgerPrices.listed(Hosting.SCHEDULED, "ml.m5.large", 1, 0.115)),
        clock,
        action -> Map.of(),
        () -> null);
  }

  private AwsUiData data(LiveSettings live) {
    return new AwsUiData(
        new AwsUiData.StackView(
            "stack prod",
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
        null,
        Clock.systemUTC(),
        action -> Map.of(),
        () -> live);
  }
}
