package offhours.classify;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import offhours.classify.S3Notifications.ObjectEvent;
import offhours.classify.S3Notifications.Records;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;

/**
 * One object version as an S3 event notification names it, both ways: {@link #body} writes the message S3 would send
 * (so {@code offhours reprocess} and {@code offhours backfill} send what the Classify function reads from S3), and
 * {@link #read} finds the objects a message body is about ({@code offhours dlq}). The shape is S3's
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html) and the reading is
 * {@link S3Notifications}', so what one writes the other parses.
 *
 * @param key the decoded key, as users write it
 * @param size bytes, or null when unknown
 * @param eTag without quotes, or null
 * @param versionId null for an unversioned bucket (S3 then sends none)
 * @param sequencer null when no S3 event gave one (a listing does not)
 * @param configurationId who sent it, in S3's {@code s3.configurationId} field, e.g. "offhours-backfill"
 */
public record ObjectNotification(
    String bucket,
    String key,
    Long size,
    String eTag,
    String versionId,
    String sequencer,
    Instant eventTime,
    String configurationId) {

  public ObjectNotification {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(eventTime, "eventTime");
    Objects.requireNonNull(configurationId, "configurationId");
    if (blank(eTag) && blank(versionId) && blank(sequencer)) {
      throw new IllegalArgumentException(
          "s3://" + bucket + "/" + key + " needs a versionId, an eTag or a sequencer:"
              + " without one the Classify function cannot tell its version from any other");
    }
  }

  /** The SQS message body S3 sends for an ObjectCreated:Put of this version: one record, the key URL-encoded. */
  public String body() {
    JsonWriter json = JsonWriter.create()
        .writeStartObject()
        .writeFieldName("Records")
        .writeStartArray()
        .writeStartObject()
        .writeFieldName("eventVersion")
        .writeValue("2.1")
        .writeFieldName("eventSource")
        .writeValue("aws:s3")
        .writeFieldName("eventTime")
        .writeValue(eventTime.toString())
        .writeFieldName("eventName")
        .writeValue("ObjectCreated:Put")
        .writeFieldName("s3")
        .writeStartObject()
        .writeFieldName("s3SchemaVersion")
        .writeValue("1.0")
        .writeFieldName("configurationId")
        .writeValue(configurationId)
        .writeFieldName("bucket")
        .writeStartObject()
        .writeFieldName("name")
        .writeValue(bucket)
        .writeFieldName("arn")
        // Always the aws partition, also for a stack in aws-cn or aws-us-gov: nothing reads this
        // field (the Classify function and the dlq command take the bucket's name), it is here only
        // because S3 sends it.
        .writeValue("arn:aws:s3:::" + bucket)
        .writeEndObject()
        .writeFieldName("object")
        .writeStartObject()
        .writeFieldName("key")
        .writeValue(encodeKey(key));
    if (size != null) {
      json.writeFieldName("size").writeValue(size);
    }
    optional(json, "eTag", eTag);
    optional(json, "versionId", versionId);
    optional(json, "sequencer", sequencer);
    json.writeEndObject().writeEndObject().writeEndObject().writeEndArray().writeEndObject();
    return new String(json.getBytes(), StandardCharsets.UTF_8);
  }

  /**
   * The ObjectCreated versions a message body names, as the Classify function reads them; empty for a body that is
   * no S3 notification (or only its unreadable or other records).
   */
  public static List<ObjectNotification> read(String body) {
    if (!(S3Notifications.parse(body) instanceof Records records)) {
      return List.of();
    }
    return records.entries().stream()
        .filter(e -> e instanceof ObjectEvent o && o.created())
        .map(e -> (ObjectEvent) e)
        .map(o -> new ObjectNotification(
            o.bucket(),
            o.key(),
            o.size(),
            o.eTag(),
            o.versionId(),
            o.sequencer(),
            o.eventTime() == null ? Instant.EPOCH : o.eventTime(),
            "read"))
        .toList();
  }

  /**
   * Why {@link #read} finds no object in a message body, in a few words for {@code offhours dlq list}: "not an S3
   * notification", or what its first unreadable record lacks as the Classify function's verdict on it names it ("S3
   * notification without versionId, eTag or sequencer").
   */
  public static String noObjects(String body) {
    return switch (S3Notifications.parse(body)) {
      case S3Notifications.Malformed m -> "not an S3 notification";
      case S3Notifications.TestEvent t -> "S3's test event";
      case Records records ->
        records.entries().stream()
            .filter(e -> e instanceof S3Notifications.BadRecord)
            .map(e -> "S3 notification " + ((S3Notifications.BadRecord) e).defect())
            .findFirst()
            .orElse("S3 notification of no ObjectCreated event");
    };
  }

  /** "s3://bucket/key". */
  public String uri() {
    return "s3://" + bucket + "/" + key;
  }

  /**
   * As S3 encodes keys in notifications: form encoding ('+' for a space, UTF-8 %XX for the rest), with '/' kept as
   * S3 keeps it. {@code S3Notifications.decodeKey} reads either.
   */
  private static String encodeKey(String key) {
    return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
  }

  private static void optional(JsonWriter json, String field, String value) {
    if (!blank(value)) {
      json.writeFieldName(field).writeValue(value);
    }
  }

  private static boolean blank(String value) {
    return value == null || value.isEmpty();
  }
}
