package offhours.classify;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * Reads the S3 event notification inside an SQS message body
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html).
 */
final class S3Notifications {

  private S3Notifications() {}

  /** What a message body holds. */
  sealed interface Parsed {}

  /** The message S3 sends when a notification is configured; it carries no Records. */
  record TestEvent() implements Parsed {}

  /** A body that is not an S3 notification at all. */
  record Malformed(String reason) implements Parsed {}

  /** The records of a notification, each either an object event or a record that could not be read. */
  record Records(List<Entry> entries) implements Parsed {}

  sealed interface Entry {}

  record BadRecord(int index, String reason) implements Entry {}

  /** One S3 event about one object version; {@code key} is decoded, absent values are null. */
  record ObjectEvent(
      String eventName, Instant eventTime, String bucket, String key, Long size, String eTag,
      String versionId, String sequencer) implements Entry {

    boolean created() {
      return eventName != null && eventName.startsWith("ObjectCreated:");
    }

    String uri() {
      return "s3://" + bucket + "/" + key;
    }
  }

  static Parsed parse(String body) {
    JsonNode root;
    try {
      root = Json.parse(body == null ? "" : body);
    } catch (Json.NotJson e) {
      return new Malformed("message body is not JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      return new Malformed("message body is not a JSON object, so not an S3 event notification");
    }
    Map<String, JsonNode> fields = root.asObject();
    if ("s3:TestEvent".equals(Json.text(fields.get("Event"))) && !fields.containsKey("Records")) {
      return new TestEvent();
    }
    JsonNode records = fields.get("Records");
    if (records == null || !records.isArray()) {
      return new Malformed("message body is JSON but not an S3 event notification (it has no Records array)");
    }
    List<JsonNode> elements = records.asArray();
    if (elements.isEmpty()) {
      return new Malformed("S3 event notification has an empty Records array");
    }
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < elements.size(); i++) {
      entries.add(record(i, elements.get(i)));
    }
    return new Records(entries);
  }

  private static Entry record(int index, JsonNode r) {
    String bucket = Json.text(Json.at(r, "s3", "bucket", "name"));
    String rawKey = Json.text(Json.at(r, "s3", "object", "key"));
    if (bucket == null) {
      return new BadRecord(index, "record " + index + " has no s3.bucket.name");
    }
    if (rawKey == null) {
      return new BadRecord(index, "record " + index + " has no s3.object.key");
    }
    String key;
    try {
      key = decodeKey(rawKey);
    } catch (IllegalArgumentException e) {
      return new BadRecord(index, "record " + index + " has a key that is not URL-encoded: '" + rawKey + "'");
    }
    String eventName = Json.text(Json.at(r, "eventName"));
    String rawTime = Json.text(Json.at(r, "eventTime"));
    Instant eventTime;
    try {
      eventTime = eventTime(rawTime);
    } catch (DateTimeParseException e) {
      return new BadRecord(index, "record " + index + " for s3://" + bucket + "/" + key
          + " has an eventTime that is not ISO-8601: '" + rawTime + "'");
    }
    JsonNode object = Json.at(r, "s3", "object");
    return new ObjectEvent(eventName, eventTime, bucket, key, Json.integer(Json.at(object, "size")),
        Json.text(Json.at(object, "eTag")), Json.text(Json.at(object, "versionId")),
        Json.text(Json.at(object, "sequencer")));
  }

  /**
   * S3 URL-encodes keys in notifications the way HTML forms do: '+' is a space and everything else
   * non-ASCII is %XX in UTF-8, so a literal '+' arrives as %2B.
   */
  static String decodeKey(String raw) {
    return URLDecoder.decode(raw, StandardCharsets.UTF_8);
  }

  /**
   * S3 writes "2026-11-25T10:00:00.000Z"; moto writes the same without the zone. A time without a zone
   * is read as UTC (what S3 means); anything that is not one of these two shapes is still an error.
   */
  static Instant eventTime(String text) {
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException withoutZone) {
      return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
    }
  }
}
