package offhours.classify;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import offhours.inference.StrictJson;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;

/**
 * The SQS event and the partial batch response as the bytes Lambda exchanges with a stream handler. Reading them
 * here, with the SDK's json-utils, spares the function aws-lambda-java-events and the runtime's Jackson-based event
 * serializer, which loads joda-time for every event type (together ~0.6 MB of the Classify zip).
 */
final class SqsEvents {

  private SqsEvents() {}

  /** The records of a Lambda SQS event; anything else is an error of the caller, never of a message. */
  static List<QueueMessage> read(InputStream in) throws IOException {
    JsonNode root;
    try {
      root = StrictJson.parse(in.readAllBytes());
    } catch (StrictJson.NotJson e) {
      throw new IllegalArgumentException("the invocation payload is not JSON: " + e.getMessage());
    }
    JsonNode records = StrictJson.at(root, "Records");
    if (records == null || !records.isArray()) {
      throw new IllegalArgumentException(
          "the invocation payload is not an SQS event (it has no Records array)");
    }
    List<QueueMessage> messages = new ArrayList<>(records.asArray().size());
    for (JsonNode r : records.asArray()) {
      messages.add(new QueueMessage(
          StrictJson.text(StrictJson.at(r, "messageId")),
          StrictJson.text(StrictJson.at(r, "receiptHandle")),
          StrictJson.text(StrictJson.at(r, "body")),
          strings(StrictJson.at(r, "attributes")),
          userAttributes(StrictJson.at(r, "messageAttributes")),
          StrictJson.text(StrictJson.at(r, "eventSourceARN"))));
    }
    return messages;
  }

  /**
   * {@code {"batchItemFailures":[{"itemIdentifier":"..."}]}}, the shape Lambda reads with ReportBatchItemFailures
   * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html#services-sqs-batchfailurereporting).
   */
  static void writeResponse(List<String> failedMessageIds, OutputStream out) throws IOException {
    JsonWriter json = JsonWriter.create()
        .writeStartObject()
        .writeFieldName("batchItemFailures")
        .writeStartArray();
    for (String id : failedMessageIds) {
      json.writeStartObject().writeFieldName("itemIdentifier").writeValue(id).writeEndObject();
    }
    out.write(json.writeEndArray().writeEndObject().getBytes());
  }

  private static Map<String, String> strings(JsonNode node) {
    Map<String, String> values = new HashMap<>();
    if (node != null && node.isObject()) {
      node.asObject().forEach((name, value) -> {
        if (value.isString()) {
          values.put(name, value.asString());
        }
      });
    }
    return values;
  }

  /** Attributes with a string value; binary ones are of no use to offhours and stay on the original message. */
  private static Map<String, QueueMessage.UserAttribute> userAttributes(JsonNode node) {
    Map<String, QueueMessage.UserAttribute> values = new HashMap<>();
    if (node != null && node.isObject()) {
      node.asObject().forEach((name, value) -> {
        String text = StrictJson.text(StrictJson.at(value, "stringValue"));
        if (text != null) {
          values.put(
              name,
              new QueueMessage.UserAttribute(
                  StrictJson.text(StrictJson.at(value, "dataType")), text));
        }
      });
    }
    return values;
  }
}
