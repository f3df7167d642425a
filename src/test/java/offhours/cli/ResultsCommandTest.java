package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import offhours.results.ResultsTable;
import org.junit.jupiter.api.Test;

/**
 * {@code offhours results}: its text table (cut by the columns a terminal draws, control characters escaped) and
 * its JSON lines.
 */
class ResultsCommandTest {

  private static final String FAMILY = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67";

  @Test
  void longKeysAndLabelsAreCutByDisplayWidthSoTheColumnsStillLineUp() {
    String key = "photos/" + FAMILY.repeat(30) + ".png"; // 71 columns
    String label = "n02123045 tabby, tabby cat, house cat"; // 37 columns
    String table = ResultsCommand.render(
        List.of(row(key, label), row("写真/" + "猫".repeat(30) + ".jpg", "猫")), 200);
    List<String> lines = table.lines().toList();

    assertThat(lines.get(1))
        .startsWith("photos/" + FAMILY.repeat(7) + "…" + FAMILY.repeat(7) + ".png  "
            + label.substring(0, 23) + "…  0.970");
    assertThat(lines.get(2)).startsWith("写真/" + "猫".repeat(8) + "…" + "猫".repeat(7) + ".jpg  猫 ");
    for (String line : lines) {
      String before =
          line.substring(0, line.indexOf(line.equals(lines.getFirst()) ? "SCORE" : "0.970"));
      assertThat(TextTable.width(before))
          .as("SCORE starts after a 40-column KEY and a 24-column LABEL on every line: %s", line)
          .isEqualTo(ResultsCommand.KEY_COLUMNS + 2 + ResultsCommand.LABEL_COLUMNS + 2);
    }
  }

  @Test
  void keysUnderOneLongPrefixKeepTheirEndsSoTheyStillDiffer() {
    String prefix = "uploads/2026/12/05/batch-0042/camera-7/";
    String table = ResultsCommand.render(
        List.of(row(prefix + "IMG_0001.jpg", "cat"), row(prefix + "IMG_0002\t.jpg", "cat")), 200);
    List<String> lines = table.lines().toList();

    // 20 columns of the start, "…", 19 of the end; an escape is kept whole or left out.
    assertThat(lines.get(1)).startsWith("uploads/2026/12/05/b…mera-7/IMG_0001.jpg  cat");
    assertThat(lines.get(2)).startsWith("uploads/2026/12/05/b…-7/IMG_0002\\x09.jpg  cat");
    assertThat(Format.fitKey(prefix, 40)).isEqualTo(prefix); // 39 columns: whole
  }

  private static ResultRow row(String key, String label) {
    return new ResultRow(
        key,
        "b",
        null,
        100L,
        "CLASSIFIED",
        null,
        label,
        0.97,
        List.of(new ResultRow.LabelScore(label, 0.97)),
        "probabilities",
        null,
        "2026-11-25T09:00:00Z",
        1,
        "f74d3ec496f3",
        "s3://b/" + key);
  }

  @Test
  void aKeyCopiedFromTheTableWithAnEscapeIsToldHowToGiveTheKeyItself() {
    assertThat(ResultsCommand.escapedKeyHint("../x/tab\\x09it's a\\b\\u0085.jpg"))
        .contains("the table shows control characters in keys as escapes such as \\x09 (a tab), and"
            + " --key takes the key itself: if the key holds such characters, in bash give"
            + " --key $'../x/tab\\x09it\\'s a\\\\b\\xc2\\x85.jpg'");
    // The table's \x85 is U+0085 (Shown), two bytes of UTF-8: bash's $'\x85' would be one byte.
    assertThat(ResultsCommand.escapedKeyHint(Terminal.printable("next\u0085line\u202e.jpg")))
        .hasValueSatisfying(
            hint -> assertThat(hint).endsWith(" --key $'next\\xc2\\x85line\\xe2\\x80\\xae.jpg'"));
    // Half a surrogate pair is no character the table escapes: the text itself.
    assertThat(ResultsCommand.escapedKeyHint("a\\ud83d\\x09.jpg"))
        .hasValueSatisfying(hint -> assertThat(hint).endsWith(" --key $'a\\\\ud83d\\x09.jpg'"));
    assertThat(ResultsCommand.escapedKeyHint("../x/tab\tx.jpg")).isEmpty(); // the key itself
    assertThat(ResultsCommand.escapedKeyHint("a\\b.jpg")).isEmpty();
  }

  @Test
  void anAddressGivenForAKeyIsToldTheKeyInTheBucket() {
    assertThat(ResultsCommand.addressHint("key", "s3://photos/cats/it's.png", "photos"))
        .contains(
            "--key takes a key in the bucket, not an s3:// address: give --key 'cats/it'\\''s.png'");
    assertThat(ResultsCommand.addressHint("prefix", "s3://other/cats/", "photos"))
        .contains(
            "--prefix takes a key in the bucket, not an s3:// address (this stack's bucket is photos)");
    assertThat(ResultsCommand.addressHint("key", "s3://photos/", "photos")).isPresent();
    // Shown escaped, '...' would hold \x09 as four characters: the key pasted would not be the key.
    assertThat(ResultsCommand.addressHint("key", "s3://photos/tab\tit's \u001b[2J\\.png", "photos"))
        .contains(
            "--key takes a key in the bucket, not an s3:// address: the key has control characters,"
                + " so in bash give --key $'tab\\x09it\\'s \\x1b[2J\\\\.png'");
    assertThat(ResultsCommand.addressHint("key", "cats/s3://photos/x.png", "photos"))
        .isEmpty();
  }

  @Test
  void theHelpNamesEveryColumnTheTablePrints() {
    assertThat(new ResultsCommand().description())
        .startsWith("Prints key, top label, score, status, settings and reason.")
        .contains("--label L is matched exactly: when\nno result has L");
  }

  @Test
  void anEmptyLabelOrKeyIsAUsageErrorNotDynamoDbsValidationException() {
    // --label "" reached the byLabel Query: 'results failed: DynamoDb answered ValidationException
    // ...'.
    assertThatThrownBy(() -> ResultsCommand.query(new Arguments(List.of(), Map.of("label", ""))))
        .isInstanceOf(CliException.class)
        .hasMessage("--label needs a top label such as Neutral, got an empty value");
    assertThatThrownBy(() -> ResultsCommand.query(new Arguments(List.of(), Map.of("key", ""))))
        .hasMessage("--key needs an object key, got an empty value");
    // A key S3 could never hold said 'no results match'.
    assertThatThrownBy(() ->
            ResultsCommand.query(new Arguments(List.of(), Map.of("key", "é".repeat(513)))))
        .hasMessage(
            "--key is 1026 bytes (UTF-8), and no S3 key is longer than 1024: no object can have it");
    assertThat(ResultsCommand.query(new Arguments(List.of(), Map.of("key", "é".repeat(512))))
            .key())
        .hasSize(512);
    // A label longer than the label index's key allows: DynamoDB's ValidationException on AWS.
    assertThatThrownBy(() ->
            ResultsCommand.query(new Arguments(List.of(), Map.of("label", "é".repeat(1025)))))
        .hasMessage("--label is 2050 bytes (UTF-8), and no top label is longer than 2048 (the label"
            + " index's key allows no more): no result can have it");
    assertThat(ResultsCommand.query(new Arguments(List.of(), Map.of("label", "é".repeat(1024))))
            .label())
        .hasSize(1024);
  }

  @Test
  void resultsTableAlignsColumnsAndTruncatesLongReasons() {
    String reason =
        "not an image: the object starts with bytes 6e 6f 74 65 73 that are neither JPEG nor PNG,"
            + " so the endpoint was not asked";
    List<ResultRow> rows = List.of(
        row("cats/tom.jpg", "CLASSIFIED", "Neutral", 0.97312, null),
        row("notes, not a photo.png", "REJECTED", null, null, reason));
    assertThat(ResultsCommand.render(rows, 80).lines().toList())
        .containsExactly(
            "KEY                     LABEL    SCORE  STATUS      SETTINGS  REASON",
            "cats/tom.jpg            Neutral  0.973  CLASSIFIED  changed",
            "notes, not a photo.png  -        -      REJECTED    -         "
                + reason.substring(0, 19) + "…");
    assertThat(ResultsCommand.render(rows, 200).lines().toList())
        .as("a wide terminal shows the whole reason")
        .last()
        .asString()
        .endsWith(reason);
    assertThat(ResultsCommand.render(rows, 30).lines().toList())
        .as("a narrow one keeps 20 characters of it")
        .last()
        .asString()
        .endsWith(reason.substring(0, 19) + "…");
  }

  @Test
  void theTerminalWidthComesFromColumnsWithADefaultWhenItIsNotSet() {
    assertThat(Terminal.columns(Map.of("COLUMNS", "87"))).isEqualTo(87);
    assertThat(Terminal.columns(Map.of())).isEqualTo(Terminal.DEFAULT_COLUMNS);
    assertThat(Terminal.columns(Map.of("COLUMNS", "wide"))).isEqualTo(Terminal.DEFAULT_COLUMNS);
    assertThat(Terminal.columns(Map.of("COLUMNS", "0"))).isEqualTo(Terminal.DEFAULT_COLUMNS);
    // A width is ASCII digits, as a shell sets it: Integer.parseInt also read fullwidth "８７".
    assertThat(Terminal.columns(Map.of("COLUMNS", "\uFF18\uFF17")))
        .isEqualTo(Terminal.DEFAULT_COLUMNS);
    assertThat(Terminal.columns(Map.of("COLUMNS", "+87"))).isEqualTo(Terminal.DEFAULT_COLUMNS);
    assertThat(Terminal.columns(Map.of("COLUMNS", "99999999999")))
        .isEqualTo(Terminal.DEFAULT_COLUMNS);
  }

  @Test
  void controlCharactersAreShownAsEscapesInEveryTableCell() {
    assertThat(Terminal.printable("a\u001b[2Jb\u0007\r\n\u009b\u007f\u202eexe.png"))
        .isEqualTo("a\\x1b[2Jb\\x07\\x0d\\x0a\\x9b\\x7f\\u202eexe.png");
    assertThat(Terminal.printable("café 写真 🚀.png")).isEqualTo("café 写真 🚀.png");
    assertThat(Terminal.printableLines("one\ntwo\u001b")).isEqualTo("one\ntwo\\x1b");
    String table = ResultsCommand.render(
        List.of(row(
            "evil\u001b]0;owned\u0007.png", "REJECTED", "La\u001bbel", 0.5, "bad\u001b[31m red")),
        200);
    assertThat(table)
        .doesNotContain("\u001b", "\u0007")
        .contains("evil\\x1b]0;owned\\x07.png", "La\\x1bbel", "bad\\x1b[31m red");
  }

  /**
   * A message that was no S3 notification is named by its id, cut as a key is: a deployed stack's queue is named by
   * CloudFormation (stack, logical id, a random suffix), so the id is some 80 columns, which whole made every row's
   * KEY that wide and every line 141 columns at 120.
   */
  @Test
  void aMessageThatWasNoNotificationIsNamedByItsIdNotADash() throws IOException {
    ResultRow message = ResultRow.from(
        offhours.results.ResultItem.rejectedMessage(
            "offhours-prod-ImagesQueue-Xq2bT7LmN9aK",
            "88e395b8-f723-453b-b6b8-45a1b8930023",
            "body",
            "message body is not JSON",
            "offhours-model",
            "offhours-endpoint",
            java.time.Instant.parse("2026-11-25T10:00:05Z"),
            1),
        null);
    List<String> lines = ResultsCommand.render(
            List.of(row("cats/tom.jpg", "CLASSIFIED", "Neutral", 0.97312, null), message), 120)
        .lines()
        .toList();
    assertThat(lines.getLast())
        .isEqualTo("sqs://offhours-prod-…b-b6b8-45a1b8930023  -        -      REJECTED    -"
            + "         message body is not JSON");
    assertThat(lines)
        .allSatisfy(line -> assertThat(TextTable.width(line)).isLessThanOrEqualTo(120));
    JsonNode json = Json.MAPPER.readTree(Json.line(message.toJson()));
    assertThat(json.get("key").isNull()).isTrue();
    assertThat(json.get("id").asText())
        .as("--json keeps it whole")
        .isEqualTo(
            "sqs://offhours-prod-ImagesQueue-Xq2bT7LmN9aK/88e395b8-f723-453b-b6b8-45a1b8930023");
  }

  @Test
  void aRejectedResultHasNoSettingsInTheTableNorInItsJson() throws IOException {
    java.time.Instant at = java.time.Instant.parse("2026-11-25T10:00:05Z");
    offhours.results.ResultItem.ObjectVersion object =
        new offhours.results.ResultItem.ObjectVersion(
            "offhours-images", "notes.png", null, "\"e\"", "01", 5L, at);
    // Classify records the settings it ran under on a verdict too: the live ones here.
    ResultRow rejected = ResultRow.from(
        offhours.results.ResultItem.rejected(object, "not an image", "m", "e", at, 1)
            .withSettings("live"),
        "live");
    ResultRow classified = ResultRow.from(
        offhours.results.ResultItem.classified(
                object,
                List.of(new offhours.results.ResultItem.Label("Neutral", 0.9)),
                "probabilities",
                "m",
                "e",
                at,
                1)
            .withSettings("live"),
        "live");

    assertThat(ResultsCommand.render(List.of(rejected, classified), 200).lines().toList())
        .extracting(line -> line.split(" +")[4])
        .containsExactly("SETTINGS", "-", "current");
    assertThat(rejected.toJson().get("settings").isNull())
        .as("--json's settings")
        .isTrue();
    assertThat(classified.toJson().get("settings").asText()).isEqualTo("current");
    // README's Scores row: each result's scores says whether the answer was taken as probabilities
    // or a softmax was applied to logits; Scores=auto decides per answer, so --json shows it.
    assertThat(classified.toJson().get("scores").asText()).isEqualTo("probabilities");
    assertThat(rejected.toJson().get("scores").isNull())
        .as("a verdict has no scores")
        .isTrue();
  }

  @Test
  void resultJsonLineHasTheContractKeysWithNullsWhereAbsent() throws IOException {
    JsonNode json = Json.MAPPER.readTree(
        Json.line(row("x.png", "REJECTED", null, null, "empty object").toJson()));
    assertThat(json.fieldNames())
        .toIterable()
        .startsWith("key", "topLabel", "score", "status", "reason")
        .contains("bucket", "labels", "classifiedAt", "attempts");
    assertThat(json.get("topLabel").isNull()).isTrue();
    assertThat(json.get("score").isNull()).isTrue();
    assertThat(json.get("reason").asText()).isEqualTo("empty object");
    assertThat(json.get("attempts").asInt()).isEqualTo(1);
  }

  private static ResultRow row(
      String key, String status, String label, Double score, String reason) {
    return new ResultRow(
        key,
        "offhours-images",
        null,
        10L,
        status,
        reason,
        label,
        score,
        label == null ? List.of() : List.of(new ResultRow.LabelScore(label, score)),
        label == null ? null : "probabilities",
        "2026-11-25T10:00:00Z",
        "2026-11-25T10:00:05Z",
        1,
        "CLASSIFIED".equals(status) ? "changed" : null,
        "s3://b/" + key);
  }

  @Test
  void prefixIsValidatedAsReprocessValidatesIt() {
    assertThatThrownBy(() -> ResultsCommand.query(new Arguments(List.of(), Map.of("prefix", ""))))
        .isInstanceOf(CliException.class)
        .hasMessage("--prefix needs a key prefix, got an empty value (an unset variable?);"
            + " leave --prefix out for every key");
    assertThatThrownBy(() ->
            ResultsCommand.query(new Arguments(List.of(), Map.of("prefix", "é".repeat(513)))))
        .isInstanceOf(CliException.class)
        .hasMessage("--prefix is 1026 bytes (UTF-8), and no S3 key is longer than 1024:"
            + " no object can start with it");
    assertThat(ResultsCommand.query(new Arguments(List.of(), Map.of("prefix", "cats/")))
            .prefix())
        .isEqualTo("cats/");
    assertThat(new ResultsCommand().options()).extracting(Option::name).contains("prefix");
    assertThat(new ResultsCommand().description())
        .contains("--prefix P reads as 'offhours reprocess --prefix P'");
  }

  @Test
  void prefixReadsAsReprocessReadsItThenShowsTheNewestFirst() {
    ReprocessCommandTest.Indexes dynamo =
        new ReprocessCommandTest.Indexes(ReprocessCommandTest.STORED);

    List<ResultRow> rows = ResultsCommand.read(
        dynamo,
        "t",
        "b",
        ResultsCommand.query(new Arguments(List.of(), Map.of("prefix", "cats/"))),
        null);

    assertThat(rows).extracting(ResultRow::key).containsExactly("cats/new.png", "cats/old.png");
    assertThat(dynamo.queries)
        .as("both statuses of the status index, as reprocess --prefix reads them")
        .extracting(q ->
            q.indexName() + " " + q.expressionAttributeValues().get(":status").s())
        .containsExactly(
            ResultsTable.STATUS_INDEX + " CLASSIFIED", ResultsTable.STATUS_INDEX + " REJECTED");

    dynamo.queries.clear();
    assertThat(ResultsCommand.read(
            dynamo,
            "t",
            "b",
            ResultsCommand.query(new Arguments(
                List.of(), Map.of("prefix", "cats/", "limit", "1", "status", "classified"))),
            null))
        .as(
            "the newest of the status's results under the prefix, and one more to tell that more match")
        .extracting(ResultRow::key)
        .containsExactly("cats/new.png", "cats/old.png");
    assertThat(dynamo.queries).singleElement();
    assertThat(ResultsCommand.read(
            dynamo,
            "t",
            "b",
            ResultsCommand.query(
                new Arguments(List.of(), Map.of("prefix", "dogs/", "status", "classified"))),
            null))
        .isEmpty();
  }
}
