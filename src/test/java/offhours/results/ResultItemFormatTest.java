package offhours.results;

import static offhours.results.ResultsTableTest.CLASSIFIED;
import static offhours.results.ResultsTableTest.REJECTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import offhours.results.ResultItem.Label;
import offhours.results.ResultItem.ObjectVersion;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The items a result is stored as, and read back from ({@link ResultItemFormat}). */
class ResultItemFormatTest {

  @Test
  void aClassifiedItemHasExactlyTheContractsAttributes() {
    Map<String, AttributeValue> item = ResultItemFormat.toItem(CLASSIFIED);

    assertThat(item)
        .containsOnlyKeys(
            "pk",
            "sk",
            "bucket",
            "key",
            "eTag",
            "sequencer",
            "sizeBytes",
            "status",
            "labels",
            "topLabel",
            "topScore",
            "model",
            "endpoint",
            "uploadedAt",
            "classifiedAt",
            "attempts",
            "scores");
    assertThat(item.get("scores")).isEqualTo(AttributeValue.fromS("probabilities"));
    assertThat(item.get("pk"))
        .isEqualTo(AttributeValue.fromS("s3://offhours-images/café au lait.png"));
    assertThat(item.get("sizeBytes")).isEqualTo(AttributeValue.fromN("240512"));
    assertThat(item.get("labels"))
        .isEqualTo(AttributeValue.fromL(List.of(
            AttributeValue.fromM(Map.of(
                "label", AttributeValue.fromS("Neutral"), "score", AttributeValue.fromN("0.91"))),
            AttributeValue.fromM(Map.of(
                "label",
                AttributeValue.fromS("Drawing"),
                "score",
                AttributeValue.fromN("0.06"))))));
    assertThat(item.get("topScore")).isEqualTo(AttributeValue.fromN("0.91"));
    assertThat(item.get("classifiedAt"))
        .isEqualTo(AttributeValue.fromS("2026-11-25T10:00:05.123Z"));
    assertThat(item.get("uploadedAt")).isEqualTo(AttributeValue.fromS("2026-11-25T10:00:00Z"));
    assertThat(item.get("attempts")).isEqualTo(AttributeValue.fromN("1"));
  }

  @Test
  void scoresTooSmallForDynamoDbAreWrittenAsZero() {
    // A softmax over logits far apart: DynamoDB refuses any magnitude below 1E-130.
    ResultItem item = ResultItem.classified(
        new ObjectVersion("offhours-images", "far.png", null, "e1", null, 10L, null),
        List.of(new Label("Neutral", 1.0), new Label("Drawing", 3e-140), new Label("Sexy", 2e-130)),
        "logits",
        "offhours-model",
        "offhours-endpoint",
        Instant.parse("2026-11-25T10:00:05Z"),
        1);

    assertThat(ResultItemFormat.toItem(item).get("labels").l())
        .extracting(v -> v.m().get("score").n())
        .containsExactly("1.0", "0", "2.0E-130");
    assertThat(ResultItemFormat.toItem(item).get("topScore").n()).isEqualTo("1.0");
  }

  @Test
  void aLabelsScoreIsAProbabilitySoNoNanOrInfinityReachesTheTable() {
    for (double score : new double[] {Double.NaN, Double.POSITIVE_INFINITY, -0.01, 1.01}) {
      assertThatThrownBy(() -> new Label("Neutral", score))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("the score of 'Neutral' must be a probability in [0, 1], got " + score);
    }
    assertThat(new Label("Neutral", 0).score()).isZero();
    assertThat(new Label("Neutral", 1).score()).isEqualTo(1);
  }

  @Test
  void aRejectedItemHasAReasonAndNoLabelsSoTheLabelIndexSkipsIt() {
    Map<String, AttributeValue> item = ResultItemFormat.toItem(REJECTED);

    assertThat(item.get("status").s()).isEqualTo("REJECTED");
    assertThat(item.get("reason").s()).startsWith("unsupported format: ");
    assertThat(item.get("versionId").s()).isEqualTo("3HL4kq");
    assertThat(item)
        .doesNotContainKeys(
            "labels", "topLabel", "topScore", "model", "uploadedAt", "sequencer", "scores");
  }

  @Test
  void classifiedAtSortsAsTheInstantsDoWhateverTheirFraction() {
    Instant second = Instant.parse("2026-11-25T10:00:05Z");
    List<Instant> times = List.of(
        second,
        second.plusMillis(100),
        second.plusMillis(120),
        second.plusMillis(999),
        second.plusMillis(1000),
        second.plusNanos(120_400_000)); // kept to the millisecond, as every result is
    List<String> written = times.stream()
        .map(t -> ResultItemFormat.toItem(new ResultItem(
                CLASSIFIED.pk(),
                CLASSIFIED.sk(),
                CLASSIFIED.bucket(),
                CLASSIFIED.key(),
                CLASSIFIED.versionId(),
                CLASSIFIED.eTag(),
                CLASSIFIED.sequencer(),
                CLASSIFIED.sizeBytes(),
                CLASSIFIED.status(),
                CLASSIFIED.reason(),
                CLASSIFIED.labels(),
                CLASSIFIED.topLabel(),
                CLASSIFIED.topScore(),
                CLASSIFIED.model(),
                CLASSIFIED.endpoint(),
                CLASSIFIED.uploadedAt(),
                t,
                CLASSIFIED.attempts(),
                CLASSIFIED.scores(),
                null))
            .get("classifiedAt")
            .s())
        .toList();

    assertThat(written)
        .containsExactly(
            "2026-11-25T10:00:05.000Z",
            "2026-11-25T10:00:05.100Z",
            "2026-11-25T10:00:05.120Z",
            "2026-11-25T10:00:05.999Z",
            "2026-11-25T10:00:06.000Z",
            "2026-11-25T10:00:05.120Z");
    assertThat(written.subList(0, 5)).isSorted();
  }

  @Test
  void itemsSurviveTheRoundTrip() {
    assertThat(ResultItemFormat.fromItem(ResultItemFormat.toItem(CLASSIFIED)))
        .isEqualTo(CLASSIFIED);
    assertThat(ResultItemFormat.fromItem(ResultItemFormat.toItem(REJECTED))).isEqualTo(REJECTED);
  }
}
