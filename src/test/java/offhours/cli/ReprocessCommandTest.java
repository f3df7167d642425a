package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import offhours.results.FakeResultIndexes;
import offhours.results.ResultItem;
import offhours.results.ResultItem.Label;
import offhours.results.ResultItem.Verdict;
import offhours.results.ResultsTable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

class ReprocessCommandTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneId.of("Europe/Berlin"));

  private static ResultItem item(
      String key, Verdict status, String label, String model, String classifiedAt) {
    return new ResultItem(
        ResultItem.pkFor("b", key),
        "e#1",
        "b",
        key,
        null,
        "1",
        null,
        1L,
        status,
        status == Verdict.REJECTED ? "reason" : null,
        label == null ? List.of() : List.of(new Label(label, 0.5)),
        label,
        label == null ? null : 0.5,
        model,
        "e",
        null,
        Instant.parse(classifiedAt),
        1,
        null,
        null);
  }

  private static ReprocessSelection select(Map<String, String> options) {
    return ReprocessCommand.selection(new Arguments(List.of(), options), CLOCK);
  }

  @Test
  void anEmptyKeyLabelOrModelIsAUsageErrorNotDynamoDbsValidationException() {
    // --label "" reached the byLabel Query: 'reprocess failed: DynamoDb answered
    // ValidationException ...'.
    assertThatThrownBy(() -> select(Map.of("label", "")))
        .isInstanceOf(CliException.class)
        .hasMessage("--label needs a top label such as Neutral, got an empty value");
    assertThatThrownBy(() -> select(Map.of("key", "")))
        .hasMessage("--key needs an object key, got an empty value");
    assertThatThrownBy(() -> select(Map.of("key", "k".repeat(1025))))
        .hasMessage(
            "--key is 1025 bytes (UTF-8), and no S3 key is longer than 1024: no object can have it");
    assertThatThrownBy(() -> select(Map.of("label", "l".repeat(2049))))
        .hasMessage("--label is 2049 bytes (UTF-8), and no top label is longer than 2048 (the label"
            + " index's key allows no more): no result can have it");
    assertThatThrownBy(() -> select(Map.of("model", "", "all", "")))
        .hasMessage("--model needs a model name (each result's model), got an empty value");
    assertThatThrownBy(() -> select(Map.of("prefix", "", "all", "")))
        .as("an empty prefix is every key, which --all alone says")
        .hasMessageStartingWith("--prefix needs a key prefix, got an empty value");
  }

  @Test
  void timesAreInstantsLocalDateTimesInTheUsersZoneOrDurationsAgo() {
    assertThat(ReprocessCommand.time("--since", "2026-11-25T10:00:00Z", CLOCK))
        .isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
    assertThat(ReprocessCommand.time("--since", "2026-11-25T10:00", CLOCK))
        .isEqualTo(Instant.parse("2026-11-25T09:00:00Z"));
    assertThat(ReprocessCommand.time("--since", "1d12h", CLOCK))
        .isEqualTo(Instant.parse("2026-11-24T00:00:00Z"));
    assertThatThrownBy(() -> ReprocessCommand.time("--before", "yesterday", CLOCK))
        .hasMessageStartingWith(
            "--before needs an ISO-8601 instant (2026-11-25T18:00:00Z), a local date-time")
        .hasMessageEndingWith("got 'yesterday'");
    for (String tooLong : List.of("99999999999999999999d", "999999999999d")) {
      assertThatThrownBy(() -> ReprocessCommand.time("--since", tooLong, CLOCK))
          .as(tooLong)
          .isInstanceOf(CliException.class)
          .hasMessage("--since " + tooLong
              + " reaches back further than any date; give a shorter duration or a date-time");
    }
  }

  @Test
  void filtersCombineAndAMessageWithoutAnObjectIsNeverSelected() {
    ResultItem neutral =
        item("cats/a.png", Verdict.CLASSIFIED, "Neutral", "m1", "2026-11-25T10:00:00Z");
    ResultItem rejected = item("cats/b.png", Verdict.REJECTED, null, "m1", "2026-11-24T10:00:00Z");
    ResultItem malformed = new ResultItem(
        "sqs://q/id",
        "m#body",
        null,
        null,
        null,
        null,
        null,
        null,
        Verdict.REJECTED,
        "not JSON",
        List.of(),
        null,
        null,
        "m1",
        "e",
        null,
        Instant.parse("2026-11-25T10:00:00Z"),
        1,
        null,
        null);

    assertThat(select(Map.of("prefix", "cats/", "status", "rejected")).test(rejected, null))
        .isTrue();
    assertThat(select(Map.of("prefix", "cats/", "status", "rejected")).test(neutral, null))
        .isFalse();
    assertThat(select(Map.of("label", "Neutral", "model", "m1")).test(neutral, null))
        .isTrue();
    assertThat(select(Map.of("model", "m2")).test(neutral, null)).isFalse();
    assertThat(select(Map.of("since", "1d")).test(rejected, null))
        .as("a day and two hours old")
        .isFalse();
    assertThat(select(Map.of("before", "1d")).test(rejected, null)).isTrue();
    assertThat(select(Map.of("key", "cats/a.png")).test(neutral, null)).isTrue();
    assertThat(select(Map.of()).any()).isFalse();
    assertThat(select(Map.of("status", "REJECTED")).test(malformed, null)).isFalse();
    assertThatThrownBy(() -> select(Map.of("status", "lost")))
        .hasMessage("unknown status 'lost'; use CLASSIFIED or REJECTED");
  }

  @Test
  void aClassificationOfTheModelUnderOtherOrUnknownSettingsIsListedAsStale() {
    ResultItem unknown = item("a.png", Verdict.CLASSIFIED, "Neutral", "m1", "2026-11-25T10:00:00Z");
    ResultItem changed = unknown.withSettings("0123456789ab");
    ResultItem current = unknown.withSettings("f74d3ec496f3");

    assertThat(ReprocessCommand.staleSettings(changed, "f74d3ec496f3"))
        .isEqualTo(", settings changed");
    assertThat(ReprocessCommand.staleSettings(unknown, "f74d3ec496f3"))
        .isEqualTo(", settings unknown");
    assertThat(ReprocessCommand.staleSettings(current, "f74d3ec496f3")).isEmpty();
    assertThat(ReprocessCommand.staleSettings(
            item("b.png", Verdict.REJECTED, null, "m1", "2026-11-25T10:00:00Z"), "f74d3ec496f3"))
        .as("a verdict is replaced by any classification; its settings say nothing")
        .isEmpty();
  }

  private static final String LIVE = "f74d3ec496f3";

  @Test
  void settingsSelectsTheClassificationsMadeUnderOtherOrUnknownSettingsNeverCurrentOnes() {
    ResultItem unknown = item("a.png", Verdict.CLASSIFIED, "Neutral", "m1", "2026-11-25T10:00:00Z");
    ResultItem changed = unknown.withSettings("0123456789ab");
    ResultItem current = unknown.withSettings(LIVE);
    ResultItem rejected = item("b.png", Verdict.REJECTED, null, "m1", "2026-11-25T10:00:00Z");
    List<ResultItem> all = List.of(current, changed, unknown, rejected);

    Map<String, List<ResultItem>> chosen = new HashMap<>();
    for (String value : List.of("changed", "unknown", "stale", "STALE")) {
      ReprocessSelection selection = select(Map.of("settings", value));
      chosen.put(value, all.stream().filter(r -> selection.test(r, LIVE)).toList());
      assertThat(selection.status()).as(value + " implies CLASSIFIED").contains("CLASSIFIED");
    }
    assertThat(chosen.get("changed")).containsExactly(changed);
    assertThat(chosen.get("unknown")).containsExactly(unknown);
    assertThat(chosen.get("stale")).containsExactly(changed, unknown);
    assertThat(chosen.get("STALE")).containsExactly(changed, unknown);
    assertThat(all.stream().filter(r -> select(Map.of("settings", "stale")).test(r, null)))
        .as(
            "no live settings known (a fallback with no classification recording them): all unknown")
        .containsExactly(current, changed, unknown);
    assertThat(all.stream()
            .filter(r ->
                select(Map.of("settings", "changed", "status", "classified")).test(r, LIVE)))
        .as("--status CLASSIFIED says what --settings implies")
        .containsExactly(changed);
  }

  @Test
  void settingsRefusesOtherValuesAndRejectedResults() {
    assertThatThrownBy(() -> select(Map.of("settings", "old")))
        .isInstanceOf(CliException.class)
        .hasMessage(
            "unknown --settings 'old'; use changed (made under other settings), unknown (made"
                + " before results recorded them) or stale (both)");
    assertThatThrownBy(() -> select(Map.of("settings", "current")))
        .isInstanceOf(CliException.class)
        .hasMessage(
            "--settings current would send results that reprocessing leaves as they are (same"
                + " model, same settings); use changed, unknown or stale");
    assertThatThrownBy(() -> select(Map.of("settings", "stale", "status", "rejected")))
        .isInstanceOf(CliException.class)
        .hasMessage(
            "--settings selects CLASSIFIED results, and a REJECTED result is a verdict on the image,"
                + " which no change of the settings makes stale: drop --status rejected, or reprocess"
                + " each in its own run");
  }

  @Test
  void settingsReadsTheClassifiedPartitionOfTheStatusIndexOnly() {
    List<Map<String, AttributeValue>> stored = new ArrayList<>(STORED);
    Map<String, AttributeValue> current = new HashMap<>(
        stored("cats/current.png", "CLASSIFIED", "Neutral", "2026-11-25T10:00:00.000Z"));
    current.put("settings", AttributeValue.fromS(LIVE));
    Map<String, AttributeValue> changed = new HashMap<>(
        stored("cats/changed.png", "CLASSIFIED", "Neutral", "2026-11-25T10:00:00.000Z"));
    changed.put("settings", AttributeValue.fromS("0123456789ab"));
    stored.addAll(List.of(current, changed));
    Indexes dynamo = new Indexes(stored);

    assertThat(select(Map.of("settings", "stale"))
            .read(new ResultsTable(dynamo, "t"), "b", LIVE)
            .selected()
            .stream()
            .map(ResultItem::key))
        .as("the older settings' and the unrecorded ones', not the current nor the verdict")
        .containsExactly("cats/changed.png", "cats/new.png", "cats/old.png");
    assertThat(dynamo.queries).singleElement().satisfies(q -> {
      assertThat(q.indexName()).isEqualTo(ResultsTable.STATUS_INDEX);
      assertThat(q.expressionAttributeValues().get(":status").s()).isEqualTo("CLASSIFIED");
    });
  }

  @Test
  void theFallbackSettingsAreThoseOfTheNewestClassification() {
    FakeResultIndexes dynamo = new FakeResultIndexes()
        .classified("cats/old.png", "Drawing", "2026-11-20T10:00:00Z", "0123456789ab")
        .classified("cats/new.png", "Neutral", "2026-11-25T10:00:00Z", "f74d3ec496f3")
        .rejected("dogs/bad.png", "2026-11-25T11:00:00Z");

    assertThat(LiveSettingsLookup.newestClassification(dynamo, "t")).isEqualTo("f74d3ec496f3");
    assertThat(dynamo.queries)
        .singleElement()
        .satisfies(q -> assertThat(q.indexName()).isEqualTo(ResultsTable.STATUS_INDEX));
    assertThat(LiveSettingsLookup.newestClassification(new FakeResultIndexes(), "t"))
        .as("no classification yet")
        .isNull();
    assertThat(LiveSettingsLookup.newestClassification(
            new FakeResultIndexes().classified("a.png", "Neutral", "2026-11-25T10:00:00Z"), "t"))
        .as("the newest written before results recorded their settings")
        .isNull();
  }

  /** Records every Query and answers it with the items of its partition; a Scan fails the test. */
  static final class Indexes implements DynamoDbClient {
    final List<QueryRequest> queries = new ArrayList<>();
    final List<Map<String, AttributeValue>> items;

    Indexes(List<Map<String, AttributeValue>> items) {
      this.items = items;
    }

    @Override
    public QueryResponse query(QueryRequest request) {
      queries.add(request);
      String attribute = request.indexName() == null
          ? "pk"
          : request.expressionAttributeNames().values().iterator().next();
      AttributeValue value = request.expressionAttributeValues().get(":" + attribute);
      return QueryResponse.builder()
          .items(items.stream().filter(i -> value.equals(i.get(attribute))).toList())
          .build();
    }

    @Override
    public ScanResponse scan(ScanRequest request) {
      throw new AssertionError("reprocess scanned the table: " + request);
    }

    @Override
    public String serviceName() {
      return "dynamodb";
    }

    @Override
    public void close() {}
  }

  static Map<String, AttributeValue> stored(
      String key, String status, String label, String classifiedAt) {
    Map<String, AttributeValue> item = new HashMap<>(Map.of(
        "pk", AttributeValue.fromS(ResultItem.pkFor("b", key)),
        "sk", AttributeValue.fromS("e#1"),
        "bucket", AttributeValue.fromS("b"),
        "key", AttributeValue.fromS(key),
        "status", AttributeValue.fromS(status),
        "model", AttributeValue.fromS("m1"),
        "classifiedAt", AttributeValue.fromS(classifiedAt)));
    if (label != null) {
      item.put("topLabel", AttributeValue.fromS(label));
      item.put(
          "labels",
          AttributeValue.fromL(List.of(AttributeValue.fromM(Map.of(
              "label", AttributeValue.fromS(label), "score", AttributeValue.fromN("0.9"))))));
    } else {
      item.put("reason", AttributeValue.fromS("not an image"));
    }
    return item;
  }

  static final List<Map<String, AttributeValue>> STORED = List.of(
      stored("cats/new.png", "CLASSIFIED", "Neutral", "2026-11-25T10:00:00.000Z"),
      stored("cats/old.png", "CLASSIFIED", "Drawing", "2026-11-20T10:00:00.000Z"),
      stored("dogs/bad.png", "REJECTED", null, "2026-11-25T11:00:00.000Z"));

  private static List<String> read(Indexes dynamo, Map<String, String> options) {
    return select(options).read(new ResultsTable(dynamo, "t"), "b", null).selected().stream()
        .map(ResultItem::key)
        .toList();
  }

  @Test
  void aStatusOrALabelWithATimeIsOneQueryOfItsIndexOverThePeriod() {
    Indexes dynamo = new Indexes(STORED);

    assertThat(read(dynamo, Map.of("status", "rejected", "since", "2026-11-25T00:00:00Z")))
        .containsExactly("dogs/bad.png");
    assertThat(read(dynamo, Map.of("label", "Drawing", "before", "2026-11-21T00:00:00Z")))
        .containsExactly("cats/old.png");

    assertThat(dynamo.queries)
        .extracting(
            QueryRequest::indexName,
            QueryRequest::keyConditionExpression,
            r -> r.expressionAttributeValues()
                .get(r.expressionAttributeValues().containsKey(":from") ? ":from" : ":to"))
        .containsExactly(
            tuple(
                ResultsTable.STATUS_INDEX,
                "#status = :status AND classifiedAt >= :from",
                AttributeValue.fromS("2026-11-24T23:59:59.000Z")),
            tuple(
                ResultsTable.LABEL_INDEX,
                "#topLabel = :topLabel AND classifiedAt <= :to",
                AttributeValue.fromS("2026-11-21T00:00:01.000Z")));
  }

  @Test
  void aPeriodAloneQueriesBothStatusesOfTheStatusIndexForItOnly() {
    Indexes dynamo = new Indexes(STORED);

    assertThat(
            read(dynamo, Map.of("since", "2026-11-25T00:00:00Z", "before", "2026-11-26T00:00:00Z")))
        .containsExactly("cats/new.png", "dogs/bad.png");

    assertThat(dynamo.queries)
        .extracting(
            QueryRequest::indexName,
            QueryRequest::keyConditionExpression,
            r -> r.expressionAttributeValues().get(":status").s())
        .containsExactly(
            tuple(
                ResultsTable.STATUS_INDEX,
                "#status = :status AND classifiedAt BETWEEN :from AND :to",
                "CLASSIFIED"),
            tuple(
                ResultsTable.STATUS_INDEX,
                "#status = :status AND classifiedAt BETWEEN :from AND :to",
                "REJECTED"));
  }

  @Test
  void whatNoIndexNarrowsReadsBothStatusesWholeAndAKeyReadsItsVersionsNeverAScan() {
    Indexes dynamo = new Indexes(STORED);

    assertThat(read(dynamo, Map.of("prefix", "cats/")))
        .containsExactly("cats/new.png", "cats/old.png");
    assertThat(dynamo.queries)
        .extracting(QueryRequest::indexName, QueryRequest::keyConditionExpression)
        .containsExactly(
            tuple(ResultsTable.STATUS_INDEX, "#status = :status"),
            tuple(ResultsTable.STATUS_INDEX, "#status = :status"));

    dynamo.queries.clear();
    assertThat(read(dynamo, Map.of("key", "dogs/bad.png"))).containsExactly("dogs/bad.png");
    assertThat(dynamo.queries).singleElement().satisfies(q -> {
      assertThat(q.indexName()).isNull();
      assertThat(q.keyConditionExpression()).isEqualTo("pk = :pk");
    });
  }

  @Test
  void aDurationAgoIsCountedFromNowInWholeSecondsAsTheMessagesPrintIt() {
    Clock precise = Clock.fixed(Instant.parse("2026-12-07T10:45:32.057381041Z"), ZoneId.of("UTC"));
    Instant since = ReprocessCommand.time("--since", "2d", precise);
    assertThat(since).isEqualTo(Instant.parse("2026-12-05T10:45:32Z"));
    assertThat(since.toString()).isEqualTo("2026-12-05T10:45:32Z");
    assertThat(ReprocessCommand.time("--since", "2026-12-05T10:45:32.5Z", precise))
        .as("an instant given is taken as given")
        .isEqualTo(Instant.parse("2026-12-05T10:45:32.5Z"));
  }

  @Test
  void aPeriodThatEndsBeforeItStartsIsAUsageError() {
    assertThatThrownBy(() -> select(Map.of("since", "1h", "before", "2h")))
        .isInstanceOf(CliException.class)
        .hasMessage("--since 2026-11-25T11:00:00Z is not before --before 2026-11-25T10:00:00Z:"
            + " no result can be in between");
  }

  @Test
  void aSelectionDescribesItselfAsItsOptionsWouldGiveIt() {
    assertThat(select(Map.of("status", "rejected", "since", "2026-12-01T00:00:00Z"))
            .description())
        .isEqualTo("--status REJECTED --since 2026-12-01T00:00:00Z");
    assertThat(select(Map.of("settings", "stale")).description())
        .as("--settings implies CLASSIFIED, which it stands for")
        .isEqualTo("--settings stale");
    assertThat(select(Map.of("settings", "unknown", "prefix", "cats/")).description())
        .isEqualTo("--prefix cats/ --settings unknown");
    assertThat(select(Map.of("key", "my cat's.png", "label", "Neutral", "model", "m1"))
            .description())
        .as("a value a shell would split or read is quoted as a shell reads it back")
        .isEqualTo("--key 'my cat'\\''s.png' --label Neutral --model m1");
    assertThat(select(Map.of("prefix", "tab\tkey")).description())
        .as("in '...' the escape would stay four characters: bash's $'...' reads it back")
        .isEqualTo("--prefix $'tab\\x09key'");
    assertThat(select(Map.of()).description()).isEqualTo("--all");
  }

  @Test
  void whenNothingIsSelectedItSaysWhatWasAskedOfHowManyResultsReadWithoutASecondRead() {
    Indexes dynamo = new Indexes(STORED);
    ReprocessSelection selection = select(Map.of("status", "rejected", "prefix", "cats/"));

    ReprocessSelection.Read read = selection.read(new ResultsTable(dynamo, "t"), "b", null);

    assertThat(read.selected()).isEmpty();
    assertThat(read.read()).as("the REJECTED partition's one result").isEqualTo(1);
    assertThat(dynamo.queries).hasSize(1);
    assertThat(selection.nothingSelected(read.read()))
        .isEqualTo("no result matches --prefix cats/ --status REJECTED (of 1 result read)");
    assertThat(select(Map.of()).nothingSelected(0))
        .isEqualTo("no result to reprocess (of 0 results read: the results table is empty)");
    assertThat(select(Map.of()).nothingSelected(2))
        .as("the note of the results naming no object says of which messages they are")
        .isEqualTo(
            "no result to reprocess (of 2 results read, none of which names an object to send again)");
  }

  @Test
  void aMatchingResultOfAMessageThatNamedNoObjectIsCountedAndSaidNotPassedOverInSilence() {
    // Seen on a local stack: 'reprocess --status REJECTED' sent the two REJECTED uploads and said
    // nothing of the three REJECTED results of messages that were no S3 notification.
    Map<String, AttributeValue> message = new HashMap<>(Map.of(
        "pk", AttributeValue.fromS(ResultItem.messagePk("q", "id-1")),
        "sk", AttributeValue.fromS("m#body"),
        "status", AttributeValue.fromS("REJECTED"),
        "reason", AttributeValue.fromS("message body is not JSON"),
        "model", AttributeValue.fromS("m1"),
        "classifiedAt", AttributeValue.fromS("2026-11-25T11:30:00.000Z")));
    List<Map<String, AttributeValue>> stored = new ArrayList<>(STORED);
    stored.add(message);
    Indexes dynamo = new Indexes(stored);

    ReprocessSelection rejected = select(Map.of("status", "rejected"));
    ReprocessSelection.Read read = rejected.read(new ResultsTable(dynamo, "t"), "b", null);

    assertThat(read.selected()).extracting(ResultItem::key).containsExactly("dogs/bad.png");
    assertThat(read.namingNoObject()).hasSize(1);
    assertThat(read.noObjectNote())
        .contains("1 matching result not sent: its message was no S3 notification, so it names no"
            + " object to send again ('results' shows it as sqs://QUEUE/MESSAGE_ID)");

    assertThat(select(Map.of("prefix", "dogs/"))
            .read(new ResultsTable(dynamo, "t"), "b", null)
            .namingNoObject())
        .as("--prefix, --key and --label select by what such a result lacks: none of it matches")
        .isEmpty();
    assertThat(select(Map.of("status", "rejected", "before", "2026-11-25T11:15:00Z"))
            .read(new ResultsTable(dynamo, "t"), "b", null)
            .namingNoObject())
        .as("the other filters apply to it as to any result")
        .isEmpty();
  }

  /** A stored result of a message that named no object: its body ("body"), or its record ("record-0"). */
  private static Map<String, AttributeValue> messageResult(String id, String part, String reason) {
    return Map.of(
        "pk", AttributeValue.fromS(ResultItem.messagePk("q", id)),
        "sk", AttributeValue.fromS("m#" + part),
        "status", AttributeValue.fromS("REJECTED"),
        "reason", AttributeValue.fromS(reason),
        "model", AttributeValue.fromS("m1"),
        "classifiedAt", AttributeValue.fromS("2026-11-25T11:30:00.000Z"));
  }

  /**
   * The result of an S3 notification whose record lacks versionId, eTag and sequencer (or is about another bucket) is
   * said as such, with its reason, where the note said its message was no S3 notification.
   */
  @Test
  void aMatchingResultOfANotificationWhoseRecordNamedNoObjectIsSaidAsSuchWithItsReason() {
    String noVersion =
        "record 0 for s3://b/cats/x.png has no versionId, eTag or sequencer, so the object version it"
            + " is about cannot be told apart from any other";
    List<Map<String, AttributeValue>> stored = new ArrayList<>(STORED);
    stored.add(messageResult("id-1", "record-0", noVersion));
    ReprocessSelection rejected = select(Map.of("status", "rejected"));

    assertThat(
            rejected.read(new ResultsTable(new Indexes(stored), "t"), "b", null).noObjectNote())
        .contains(
            "1 matching result not sent: its message was an S3 notification whose record the Classify"
                + " function could not read as an object version of this stack (" + noVersion
                + "), so it names no"
                + " object to send again ('results' shows it as sqs://QUEUE/MESSAGE_ID)");

    stored.add(messageResult("id-2", "body", "message body is not JSON"));
    stored.add(messageResult(
        "id-3",
        "record-0",
        "record 0 is about bucket other; this function classifies" + " uploads to b only"));
    ReprocessSelection all = select(Map.of());
    ReprocessSelection.Read read = all.read(new ResultsTable(new Indexes(stored), "t"), "b", null);

    assertThat(read.noObjectNote())
        .as(
            "with no filter too, where nothingSelected alone said 'each of a message that was no S3 notification'")
        .contains(
            "3 matching results not sent: 1 of a message that was no S3 notification, and 2 of S3"
                + " notifications whose records the Classify function could not read as an object version of this"
                + " stack (one of them: " + noVersion
                + "), so none names an object to send again ('results' shows"
                + " them as sqs://QUEUE/MESSAGE_ID)");
  }

  /** --model that no result read is from: the models they are from are named. */
  @Test
  void aModelNoResultReadIsFromIsAnsweredWithTheModelsTheyAreFrom() {
    List<Map<String, AttributeValue>> stored = new ArrayList<>(STORED);
    Map<String, AttributeValue> other =
        new HashMap<>(stored("cats/b.png", "CLASSIFIED", "Neutral", "2026-11-24T10:00:00.000Z"));
    other.put("model", AttributeValue.fromS("resnet-50"));
    stored.add(other);
    Indexes dynamo = new Indexes(stored);
    ReprocessSelection nope = select(Map.of("model", "nope"));

    ReprocessSelection.Read read = nope.read(new ResultsTable(dynamo, "t"), "b", null);

    assertThat(read.selected()).isEmpty();
    assertThat(read.modelHint(nope.model()))
        .contains(
            "--model nope is none of the models of the 4 results read, which are from m1, resnet-50");
    ReprocessSelection m1 = select(Map.of("model", "m1", "prefix", "zebras/"));
    assertThat(m1.read(new ResultsTable(dynamo, "t"), "b", null).modelHint(m1.model()))
        .as("a model some result read is from, which the other filters left out: nothing to add")
        .isEmpty();
  }
}
