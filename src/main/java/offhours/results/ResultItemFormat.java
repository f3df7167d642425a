package offhours.results;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import offhours.aws.DynamoNumbers;
import offhours.results.ResultItem.Label;
import offhours.results.ResultItem.Verdict;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * How a {@link ResultItem} is stored as an item of the results table ({@link ResultsTable}): which attribute holds
 * what, and how an item reads back as the same result. Every reader and writer of the table's items goes through it,
 * the table's own Queries and those who page through the table themselves ({@link NewestFirst}).
 */
public final class ResultItemFormat {

  /**
   * How {@code classifiedAt}, the sort key of both indexes, is written: ISO-8601 UTC with exactly three fraction
   * digits, so the strings sort as the instants do. {@link Instant#toString} drops trailing zeros, and
   * "10:00:05.12Z" sorts before "10:00:05.1Z" and "10:00:05Z" after both.
   */
  static final DateTimeFormatter TIME =
      new DateTimeFormatterBuilder().appendInstant(3).toFormatter();

  private ResultItemFormat() {}

  static Map<String, AttributeValue> toItem(ResultItem r) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", s(r.pk()));
    item.put("sk", s(r.sk()));
    putIfPresent(item, "bucket", r.bucket());
    putIfPresent(item, "key", r.key());
    putIfPresent(item, "versionId", r.versionId());
    putIfPresent(item, "eTag", r.eTag());
    putIfPresent(item, "sequencer", r.sequencer());
    if (r.sizeBytes() != null) {
      item.put("sizeBytes", n(r.sizeBytes().toString()));
    }
    item.put("status", s(r.status().name()));
    putIfPresent(item, "reason", r.reason());
    if (!r.labels().isEmpty()) {
      item.put(
          "labels",
          AttributeValue.fromL(r.labels().stream()
              .map(l -> AttributeValue.fromM(Map.of(
                  "label",
                  s(l.label()),
                  "score",
                  DynamoNumbers.of(l.score(), "the score of '" + l.label() + "'"))))
              .toList()));
    }
    putIfPresent(item, "topLabel", r.topLabel());
    if (r.topScore() != null) {
      item.put("topScore", DynamoNumbers.of(r.topScore(), "the top score"));
    }
    putIfPresent(item, "model", r.model());
    putIfPresent(item, "endpoint", r.endpoint());
    if (r.uploadedAt() != null) {
      item.put("uploadedAt", s(r.uploadedAt().toString()));
    }
    item.put("classifiedAt", s(TIME.format(r.classifiedAt())));
    item.put("attempts", n(Integer.toString(r.attempts())));
    putIfPresent(item, "scores", r.scores());
    putIfPresent(item, "settings", r.settings());
    return item;
  }

  /** The result an item of the results table holds (for readers that page through the table themselves). */
  public static ResultItem fromItem(Map<String, AttributeValue> item) {
    List<Label> labels = item.containsKey("labels")
        ? item.get("labels").l().stream()
            .map(v -> new Label(
                v.m().get("label").s(), Double.parseDouble(v.m().get("score").n())))
            .toList()
        : List.of();
    return new ResultItem(
        str(item, "pk"),
        str(item, "sk"),
        str(item, "bucket"),
        str(item, "key"),
        str(item, "versionId"),
        str(item, "eTag"),
        str(item, "sequencer"),
        item.containsKey("sizeBytes") ? Long.valueOf(item.get("sizeBytes").n()) : null,
        Verdict.valueOf(str(item, "status")),
        str(item, "reason"),
        labels,
        str(item, "topLabel"),
        item.containsKey("topScore") ? Double.valueOf(item.get("topScore").n()) : null,
        str(item, "model"),
        str(item, "endpoint"),
        item.containsKey("uploadedAt") ? Instant.parse(str(item, "uploadedAt")) : null,
        Instant.parse(str(item, "classifiedAt")),
        item.containsKey("attempts") ? Integer.parseInt(item.get("attempts").n()) : 0,
        str(item, "scores"),
        str(item, "settings"));
  }

  private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
    if (value != null) {
      item.put(name, s(value));
    }
  }

  private static String str(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null ? null : v.s();
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  private static AttributeValue n(String value) {
    return AttributeValue.fromN(value);
  }
}
