package offhours.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** One item of the results table as the CLI shows it (contracts: "Results table"). Absent values are null. */
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
    String uploadedAt,
    String classifiedAt,
    Integer attempts) {

  record LabelScore(String label, double score) {}

  static ResultRow from(Map<String, AttributeValue> item) {
    String bucket = string(item, "bucket");
    String key = string(item, "key");
    if (key == null && item.containsKey("pk")) { // pk is "s3://<bucket>/<key>"
      String pk = item.get("pk").s();
      int slash = pk.indexOf('/', "s3://".length());
      key = slash < 0 ? pk : pk.substring(slash + 1);
    }
    List<LabelScore> labels = item.containsKey("labels")
        ? item.get("labels").l().stream()
            .map(v -> new LabelScore(v.m().get("label").s(), Double.parseDouble(v.m().get("score").n())))
            .toList()
        : List.of();
    Double score = item.containsKey("topScore") ? Double.valueOf(item.get("topScore").n())
        : labels.isEmpty() ? null : labels.getFirst().score();
    return new ResultRow(key, bucket, string(item, "versionId"),
        item.containsKey("sizeBytes") ? Long.valueOf(item.get("sizeBytes").n()) : null,
        string(item, "status"), string(item, "reason"), string(item, "topLabel"), score, labels,
        string(item, "uploadedAt"), string(item, "classifiedAt"),
        item.containsKey("attempts") ? Integer.valueOf(item.get("attempts").n()) : null);
  }

  private static String string(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null ? null : value.s();
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
    json.put("classifiedAt", classifiedAt);
    json.put("uploadedAt", uploadedAt);
    json.put("attempts", attempts);
    json.put("versionId", versionId);
    json.put("sizeBytes", sizeBytes);
    return json;
  }
}
