package offhours.results;

// Needs: moto_server (pip install "moto[server]") on PATH, or OFFHOURS_TEST_AWS_ENDPOINT.

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import offhours.aws.AwsClients.Service;
import offhours.results.ResultItem.Label;
import offhours.results.ResultItem.ObjectVersion;
import offhours.results.ResultItem.Verdict;
import offhours.stack.StackSpec;
import offhours.testing.AwsServicesExtension;
import offhours.testing.AwsServicesExtension.AwsServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

@ExtendWith(AwsServicesExtension.class)
class ResultsTableIT {

  private final DynamoDbClient dynamo;
  private final ResultsTable table;
  private final String name;

  ResultsTableIT(AwsServices services) {
    dynamo = services.clients().build(Service.DYNAMODB, DynamoDbClient.builder());
    name = "offhours-results-" + UUID.randomUUID().toString().substring(0, 8);
    dynamo.createTable(StackSpec.RESULTS_TABLE.createTableRequest(name));
    table = new ResultsTable(dynamo, name);
  }

  private static ResultItem classified(String key, String eTag, String label, String classifiedAt) {
    return ResultItem.classified(
        new ObjectVersion("b", key, null, eTag, null, 10L, null),
        List.of(new Label(label, 0.9)),
        "probabilities",
        "m",
        "e",
        Instant.parse(classifiedAt),
        1);
  }

  private static ResultItem rejected(String key, String eTag, String reason, String classifiedAt) {
    return ResultItem.rejected(
        new ObjectVersion("b", key, null, eTag, null, 10L, null),
        reason,
        "m",
        "e",
        Instant.parse(classifiedAt),
        1);
  }

  /** The first page of up to {@code limit} results with top label {@code label}, newest first. */
  private List<ResultItem> byLabel(String label, int limit) {
    return new NewestFirst(dynamo, name).page(label, null, null, limit, null).items();
  }

  /** Every page of a listing through moto_server's own Query, following {@code next} to the end. */
  private List<String> pages(String label, String status, String key, int limit) {
    NewestFirst reader = new NewestFirst(dynamo, name);
    List<String> keys = new ArrayList<>();
    Map<String, Map<String, String>> next = null;
    do {
      NewestFirst.Slice page = reader.page(label, status, key, limit, next);
      page.items().forEach(r -> keys.add(r.key()));
      next = page.next();
    } while (next != null && keys.size() < 1000);
    return keys;
  }

  @Test
  void newestFirstPagesThroughBothStatusesOnTheIndexesWithoutSkippingOrRepeating() {
    List<String> expected = new ArrayList<>();
    for (int i = 29; i >= 0; i--) {
      String at = Instant.parse("2026-11-25T10:00:00Z").plusSeconds(i * 60L).toString();
      String key = (i % 4 == 0 ? "cats/" : "dogs/") + i + ".jpg";
      assertThat(
              i % 3 == 1
                  ? table.put(rejected(key, "e" + i, "not an image", at))
                  : table.put(classified(key, "e" + i, i % 2 == 0 ? "Neutral" : "Drawing", at)))
          .isTrue();
      expected.add(key);
    }

    for (int limit : List.of(1, 2, 3, 7, 30, 100)) {
      assertThat(pages(null, null, null, limit)).as("pages of %d", limit).isEqualTo(expected);
      assertThat(pages(null, null, "cats/", limit))
          .as("cats/, pages of %d", limit)
          .isEqualTo(expected.stream().filter(k -> k.startsWith("cats/")).toList());
      assertThat(pages(null, "REJECTED", null, limit))
          .as("REJECTED, pages of %d", limit)
          .isEqualTo(expected.stream()
              .filter(k -> Integer.parseInt(k.replaceAll("\\D", "")) % 3 == 1)
              .toList());
      assertThat(pages("Neutral", "CLASSIFIED", null, limit))
          .as("Neutral, pages of %d", limit)
          .isEqualTo(expected.stream()
              .filter(k -> {
                int i = Integer.parseInt(k.replaceAll("\\D", ""));
                return i % 3 != 1 && i % 2 == 0;
              })
              .toList());
    }
  }

  @Test
  void answersByKeyByLabelAndByStatus() {
    assertThat(table.put(classified("a.jpg", "e1", "Neutral", "2026-11-25T10:00:00Z")))
        .isTrue();
    assertThat(table.put(classified("a.jpg", "e2", "Drawing", "2026-11-25T11:00:00Z")))
        .isTrue();
    assertThat(table.put(classified("b.jpg", "e3", "Neutral", "2026-11-25T12:00:00Z")))
        .isTrue();
    assertThat(table.put(classified("c.jpg", "e4", "Neutral", "2026-11-25T09:00:00Z")))
        .isTrue();
    assertThat(table.put(rejected(
            "d.png", "e5", "object s3://b/d.png is empty (0 bytes)", "2026-11-25T13:00:00Z")))
        .isTrue();
    assertThat(table.put(classified("a.jpg", "e1", "Sexy", "2026-11-25T14:00:00Z")))
        .as("same version again")
        .isFalse();

    assertThat(table.byKey("b", "a.jpg")).extracting(ResultItem::eTag).containsExactly("e2", "e1");
    ResultsTable.Newest newest = table.newestByKey("b", "a.jpg", 1);
    assertThat(newest.items()).extracting(ResultItem::eTag).containsExactly("e2");
    assertThat(newest.total()).isEqualTo(2);
    assertThat(newest.more()).isTrue();
    assertThat(table.byVersion("b", "a.jpg", "e#e1"))
        .get()
        .extracting(ResultItem::eTag)
        .isEqualTo("e1");
    assertThat(table.byVersion("b", "a.jpg", "e#e3")).as("b.jpg's version").isEmpty();
    assertThat(byLabel("Neutral", 10))
        .extracting(ResultItem::key)
        .containsExactly("b.jpg", "a.jpg", "c.jpg");
    assertThat(byLabel("Neutral", 2)).extracting(ResultItem::key).containsExactly("b.jpg", "a.jpg");
    assertThat(byLabel("Porn", 5)).isEmpty();
    assertThat(table.scan(Optional.of("REJECTED")))
        .extracting(ResultItem::key)
        .containsExactly("d.png");
    assertThat(table.scan(Optional.empty())).hasSize(5);
  }

  @Test
  void
      aClassificationReplacesAVerdictOnTheSameVersionButNeverTheOtherWayAndNeverTheSameModelsClassification() {
    ResultItem verdict = rejected(
        "e.jpg",
        "e6",
        "endpoint unavailable (ValidationError): no capacity",
        "2026-11-25T10:00:00Z");
    assertThat(table.put(verdict)).isTrue();

    assertThat(table.put(classified("e.jpg", "e6", "Neutral", "2026-11-25T11:00:00Z")))
        .as("over the verdict")
        .isTrue();
    assertThat(table.put(classified("e.jpg", "e6", "Drawing", "2026-11-25T12:00:00Z")))
        .as("a duplicate")
        .isFalse();
    assertThat(table.put(verdict)).as("a verdict over a classification").isFalse();

    assertThat(table.byKey("b", "e.jpg")).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(Verdict.CLASSIFIED);
      assertThat(r.topLabel()).isEqualTo("Neutral");
      assertThat(r.reason()).isNull();
    });
    assertThat(byLabel("Neutral", 10)).extracting(ResultItem::key).contains("e.jpg");
  }

  @Test
  void theNewestModelsClassificationReplacesTheOlderModelsOnceAndDuplicatesChangeNothing() {
    assertThat(table.put(classified("f.jpg", "e7", "Neutral", "2026-11-25T10:00:00Z")))
        .isTrue();
    ResultItem newModel =
        withModel(classified("f.jpg", "e7", "Drawing", "2026-11-26T10:00:00Z"), "model-2");

    assertThat(table.put(newModel)).as("the new model's answer").isTrue();
    assertThat(table.put(
            withModel(classified("f.jpg", "e7", "Sexy", "2026-11-26T11:00:00Z"), "model-2")))
        .as("a second delivery under the new model")
        .isFalse();
    assertThat(table.put(rejected(
            "f.jpg", "e7", "the model failed on this image 3 times", "2026-11-26T12:00:00Z")))
        .as("a verdict over the new classification")
        .isFalse();

    assertThat(table.byKey("b", "f.jpg")).singleElement().satisfies(r -> {
      assertThat(r.model()).isEqualTo("model-2");
      assertThat(r.topLabel()).isEqualTo("Drawing");
    });
    assertThat(byLabel("Neutral", 10)).extracting(ResultItem::key).doesNotContain("f.jpg");
  }

  @Test
  void anAnswerUnderOtherSettingsOfTheSameModelReplacesTheOlderOnceAndDuplicatesChangeNothing() {
    ResultItem unknown = classified("g.jpg", "e8", "Neutral", "2026-11-25T10:00:00Z");
    assertThat(table.put(unknown)).isTrue();

    assertThat(table.put(classified("g.jpg", "e8", "Drawing", "2026-11-26T10:00:00Z")
            .withSettings("aaaaaaaaaaaa")))
        .as("same model, over a result written before results recorded their settings")
        .isTrue();
    assertThat(table.put(
            classified("g.jpg", "e8", "Sexy", "2026-11-26T11:00:00Z").withSettings("aaaaaaaaaaaa")))
        .as("a second delivery under the same settings")
        .isFalse();
    assertThat(table.put(
            classified("g.jpg", "e8", "Porn", "2026-11-26T12:00:00Z").withSettings("bbbbbbbbbbbb")))
        .as("same model, corrected labels")
        .isTrue();
    assertThat(table.put(classified("g.jpg", "e8", "Hentai", "2026-11-26T13:00:00Z")))
        .as("an answer that names no settings over one that does, from the same model")
        .isFalse();

    assertThat(table.byKey("b", "g.jpg")).singleElement().satisfies(r -> {
      assertThat(r.settings()).isEqualTo("bbbbbbbbbbbb");
      assertThat(r.topLabel()).isEqualTo("Porn");
    });
  }

  private static ResultItem withModel(ResultItem r, String model) {
    return new ResultItem(
        r.pk(),
        r.sk(),
        r.bucket(),
        r.key(),
        r.versionId(),
        r.eTag(),
        r.sequencer(),
        r.sizeBytes(),
        r.status(),
        r.reason(),
        r.labels(),
        r.topLabel(),
        r.topScore(),
        model,
        r.endpoint(),
        r.uploadedAt(),
        r.classifiedAt(),
        r.attempts(),
        r.scores(),
        null);
  }
}
