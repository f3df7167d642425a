package offhours.aws;

import java.util.Map;
import offhours.inference.StrictJson;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * The message S3 sends to a notification destination when the bucket's notification configuration is put: an object
 * whose {@code Event} is {@code s3:TestEvent} and that has no {@code Records}
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html). It names no upload.
 * Classify acknowledges it and the deploy-time sweep deletes it (offhours.endpoint.TestEventSweep); both recognise it
 * here.
 */
public final class S3TestEvent {

  /** The {@code Event} value of the test message. */
  private static final String EVENT = "s3:TestEvent";

  private S3TestEvent() {}

  /** Whether the fields of a message body's JSON object are S3's test event. */
  public static boolean is(Map<String, JsonNode> fields) {
    return EVENT.equals(StrictJson.text(fields.get("Event"))) && !fields.containsKey("Records");
  }

  /** Whether a message body is S3's test event; a body that is not a JSON object is not. */
  public static boolean is(String body) {
    JsonNode root;
    try {
      root = StrictJson.parse(body == null ? "" : body);
    } catch (StrictJson.NotJson e) {
      return false;
    }
    return root != null && root.isObject() && is(root.asObject());
  }
}
