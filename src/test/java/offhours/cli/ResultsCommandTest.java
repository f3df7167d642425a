package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code offhours results}' text table: every value it shows is cut by the columns a terminal draws. */
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
        .startsWith("photos/" + FAMILY.repeat(16) + "…  " + label.substring(0, 23) + "…  0.970");
    assertThat(lines.get(2)).startsWith("写真/" + "猫".repeat(17) + "…  猫 ");
    for (String line : lines) {
      String before =
          line.substring(0, line.indexOf(line.equals(lines.getFirst()) ? "SCORE" : "0.970"));
      assertThat(TextTable.width(before))
          .as("SCORE starts after a 40-column KEY and a 24-column LABEL on every line: %s", line)
          .isEqualTo(ResultsCommand.KEY_COLUMNS + 2 + ResultsCommand.LABEL_COLUMNS + 2);
    }
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
}
