package offhours.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import offhours.results.ResultItem;

/**
 * One item of the results table as the CLI shows it (contracts: "Results table"). Absent values are null.
 *
 * @param scores what the model's numbers were taken as: {@code probabilities}, or {@code logits} when offhours applied
 *     a softmax ({@code auto} decides per answer, so this is the one place a user sees which); null for a REJECTED
 *     result and for one written before results recorded it
 * @param settings how a CLASSIFIED result's settings compare with the live ones (current, changed, unknown); null for
 *     a REJECTED one
 * @param id the result's partition key: "s3://bucket/key", or "sqs://queue/messageId" for a message that was no S3
 *     notification, which has no key; the API and the page call it {@code id} too
 */
record ResultRow(
    String key,
    String bucket,
    String versionId,
    Long sizeBytes,
    String status,
    String reason,
    String topLabel,
    Double score,
    List<LabelScore> labels,
    String scores,
    String uploadedAt,
    String classifiedAt,
    Integer attempts,
    String settings,
    String id) {

  record LabelScore(String label, double score) {}

  /**
   * The row of {@code item}; {@code liveSettings} (null: not known) decides a CLASSIFIED result's {@code settings}:
   * current, changed or unknown ({@link ResultItem#settingsWord}).
   */
  static ResultRow from(ResultItem item, String liveSettings) {
    List<LabelScore> labels =
        item.labels().stream().map(l -> new LabelScore(l.label(), l.score())).toList();
    Double score = item.topScore() != null
        ? item.topScore()
        : labels.isEmpty() ? null : labels.getFirst().score();
    return new ResultRow(
        item.key(),
        item.bucket(),
        item.versionId(),
        item.sizeBytes(),
        item.status().name(),
        item.reason(),
        item.topLabel(),
        score,
        labels,
        item.scores(),
        item.uploadedAt() == null ? null : item.uploadedAt().toString(),
        item.classifiedAt().toString(),
        item.attempts(),
        item.settingsWord(liveSettings),
        item.pk());
  }

  /** The {@code --json} line: key, topLabel, score, status, reason first; null where absent. */
  ObjectNode toJson() {
    ObjectNode json = Json.object();
    json.put("key", key);
    json.put("topLabel", topLabel);
    json.put("score", score);
    json.put("status", status);
    json.put("reason", reason);
    json.put("bucket", bucket);
    ArrayNode array = json.putArray("labels");
    labels.forEach(l -> array.addObject().put("label", l.label()).put("score", l.score()));
    json.put("scores", scores);
    json.put("classifiedAt", classifiedAt);
    json.put("uploadedAt", uploadedAt);
    json.put("attempts", attempts);
    json.put("versionId", versionId);
    json.put("sizeBytes", sizeBytes);
    json.put("settings", settings);
    json.put("id", id);
    return json;
  }
}
