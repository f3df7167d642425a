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
import offhours.aws.S3TestEvent;
import offhours.inference.StrictJson;
import offhours.units.Shown;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * Reads the S3 event notification inside an SQS message body
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html).
 */
final class S3Notifications {

  /**
   * S3 puts one record in each notification; a body with more than this many is no S3 notification, and reading it
   * would let one message fan out into any number of downloads and endpoint calls.
   */
  private static final int MAX_RECORDS = 100;

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

  /**
   * A record the Classify function cannot act on.
   *
   * @param reason the verdict's words: which record, of which object, and what is wrong with it
   * @param defect what is wrong in a few words, as {@code dlq list} shows it: "without eventName"
   */
  record BadRecord(int index, String reason, String defect) implements Entry {}

  /**
   * One S3 event about one object version; {@code key} is decoded, absent values are null, but every event has
   * an {@code eventName} and at least one of {@code versionId}, {@code eTag} and {@code sequencer}.
   *
   * @param index the record's position in its message
   */
  record ObjectEvent(
      int index,
      String eventName,
      Instant eventTime,
      String bucket,
      String key,
      Long size,
      String eTag,
      String versionId,
      String sequencer)
      implements Entry {

    boolean created() {
      return eventName.startsWith("ObjectCreated:");
    }

    String uri() {
      return "s3://" + bucket + "/" + key;
    }
  }

  static Parsed parse(String body) {
    JsonNode root;
    try {
      root = StrictJson.parse(body == null ? "" : body);
    } catch (StrictJson.NotJson e) {
      return new Malformed("message body is not JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      return new Malformed("message body is not a JSON object, so not an S3 event notification");
    }
    Map<String, JsonNode> fields = root.asObject();
    if (S3TestEvent.is(fields)) {
      return new TestEvent();
    }
    JsonNode records = fields.get("Records");
    if (records == null || !records.isArray()) {
      return new Malformed(
          "message body is JSON but not an S3 event notification (it has no Records array)");
    }
    List<JsonNode> elements = records.asArray();
    if (elements.isEmpty()) {
      return new Malformed("S3 event notification has an empty Records array");
    }
    if (elements.size() > MAX_RECORDS) {
      return new Malformed(
          "the message holds " + elements.size() + " records; S3 sends one per notification and"
              + " offhours reads at most " + MAX_RECORDS);
    }
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < elements.size(); i++) {
      entries.add(record(i, elements.get(i)));
    }
    return new Records(entries);
  }

  private static Entry record(int index, JsonNode r) {
    String bucket = StrictJson.text(StrictJson.at(r, "s3", "bucket", "name"));
    String rawKey = StrictJson.text(StrictJson.at(r, "s3", "object", "key"));
    if (bucket == null) {
      return new BadRecord(
          index, "record " + index + " has no s3.bucket.name", "without s3.bucket.name");
    }
    if (rawKey == null) {
      return new BadRecord(
          index, "record " + index + " has no s3.object.key", "without s3.object.key");
    }
    String key;
    try {
      key = decodeKey(rawKey);
    } catch (IllegalArgumentException e) {
      return new BadRecord(
          index,
          "record " + index + " has a key that is not URL-encoded: '" + Shown.value(rawKey) + "'",
          "with a key that is not URL-encoded");
    }
    String eventName = StrictJson.text(StrictJson.at(r, "eventName"));
    if (eventName == null || eventName.isBlank()) {
      return new BadRecord(
          index,
          "record " + index + " for " + Shown.value("s3://" + bucket + "/" + key)
              + " has no eventName",
          "without eventName");
    }
    String rawTime = StrictJson.text(StrictJson.at(r, "eventTime"));
    Instant eventTime;
    try {
      eventTime = eventTime(rawTime);
    } catch (DateTimeParseException e) {
      return new BadRecord(
          index,
          "record " + index + " for " + Shown.value("s3://" + bucket + "/" + key)
              + " has an eventTime that is not ISO-8601: '" + Shown.value(rawTime) + "'",
          "with an eventTime that is not ISO-8601");
    }
    JsonNode object = StrictJson.at(r, "s3", "object");
    String eTag = nonEmpty(StrictJson.text(StrictJson.at(object, "eTag")));
    String versionId = nonEmpty(StrictJson.text(StrictJson.at(object, "versionId")));
    String sequencer = nonEmpty(StrictJson.text(StrictJson.at(object, "sequencer")));
    if (eTag == null && versionId == null && sequencer == null) {
      return new BadRecord(
          index,
          "record " + index + " for " + Shown.value("s3://" + bucket + "/" + key)
              + " has no versionId, eTag"
              + " or sequencer, so the object version it is about cannot be told apart from any other",
          "without versionId, eTag or sequencer");
    }
    return new ObjectEvent(
        index,
        eventName,
        eventTime,
        bucket,
        key,
        StrictJson.integer(StrictJson.at(object, "size")),
        eTag,
        versionId,
        sequencer);
  }

  private static String nonEmpty(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  /**
   * S3 URL-encodes keys in notifications the way HTML forms do: '+' is a space and everything else
   * non-ASCII is %XX in UTF-8, so a literal '+' arrives as %2B.
   */
  private static String decodeKey(String raw) {
    return URLDecoder.decode(raw, StandardCharsets.UTF_8);
  }

  /**
   * S3 writes "2026-11-25T10:00:00.000Z"; moto writes the same without the zone, in its own wall clock, which
   * local mode runs in UTC (offhours.local.moto.MotoServer). A time without a zone is read as UTC (what S3 means);
   * anything that is not one of these two shapes is still an error.
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
