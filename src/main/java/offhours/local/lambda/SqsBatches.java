package offhours.local.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The pure parts of Lambda's SQS integration: the event a function receives and which messages are
 * deleted afterwards, both as the JSON bytes Lambda exchanges with a function. Nothing here talks to SQS.
 */
final class SqsBatches {

  private static final ObjectMapper JSON = new ObjectMapper();

  private SqsBatches() {}

  /**
   * The event exactly as Lambda delivers it: each message as SQS returned it to the poller, plus
   * {@code eventSource}, {@code eventSourceARN} and {@code awsRegion}. See the example event in
   * https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
   */
  static byte[] event(List<Message> messages, String queueArn, String region) {
    ObjectNode event = JSON.createObjectNode();
    ArrayNode records = event.putArray("Records");
    for (Message message : messages) {
      ObjectNode record = records.addObject();
      record.put("messageId", message.messageId());
      record.put("receiptHandle", message.receiptHandle());
      record.put("body", message.body());
      ObjectNode attributes = record.putObject("attributes");
      message.attributesAsStrings().forEach(attributes::put);
      attributes(record.putObject("messageAttributes"), message.messageAttributes());
      record.put("md5OfBody", message.md5OfBody());
      if (message.md5OfMessageAttributes() != null) {
        record.put("md5OfMessageAttributes", message.md5OfMessageAttributes());
      }
      record.put("eventSource", "aws:sqs");
      record.put("eventSourceARN", queueArn);
      record.put("awsRegion", region);
    }
    try {
      return JSON.writeValueAsBytes(event);
    } catch (IOException e) {
      throw new IllegalStateException("an SQS event that Jackson cannot write", e);
    }
  }

  // Lambda always sends both list members, empty when unused ("stringListValues": [],
  // "binaryListValues": []), and binary values in base64.
  private static void attributes(ObjectNode into, Map<String, MessageAttributeValue> values) {
    values.forEach((name, value) -> {
      ObjectNode attribute = into.putObject(name);
      if (value.stringValue() != null) {
        attribute.put("stringValue", value.stringValue());
      }
      if (value.binaryValue() != null) {
        attribute.put(
            "binaryValue",
            Base64.getEncoder().encodeToString(value.binaryValue().asByteArray()));
      }
      ArrayNode strings = attribute.putArray("stringListValues");
      value.stringListValues().forEach(strings::add);
      ArrayNode binaries = attribute.putArray("binaryListValues");
      value.binaryListValues().stream()
          .map(SdkBytes::asByteArray)
          .forEach(b -> binaries.add(Base64.getEncoder().encodeToString(b)));
      attribute.put("dataType", value.dataType());
    });
  }

  /**
   * The messages of a batch whose function returned normally that Lambda deletes, given the function's
   * response bytes. Without {@code ReportBatchItemFailures} the response is ignored and every message is
   * deleted. With it, an empty or null response or {@code batchItemFailures} means complete success; a response
   * that is not JSON, or a failure with a null, empty or unknown {@code itemIdentifier}, makes the whole batch a
   * failure (nothing deleted), as documented in
   * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html#services-sqs-batchfailurereporting
   */
  static List<Message> toDelete(
      List<Message> batch, byte[] response, boolean reportBatchItemFailures) {
    if (!reportBatchItemFailures || response == null || response.length == 0) {
      return batch;
    }
    JsonNode root;
    try {
      root = JSON.readTree(response);
    } catch (IOException notJson) {
      return List.of();
    }
    JsonNode failures = root == null ? null : root.get("batchItemFailures");
    if (failures == null || failures.isNull() || failures.isEmpty()) {
      return batch;
    }
    Set<String> inBatch = new HashSet<>();
    batch.forEach(m -> inBatch.add(m.messageId()));
    Set<String> failed = new HashSet<>();
    for (JsonNode failure : failures) {
      JsonNode id = failure.get("itemIdentifier");
      if (id == null
          || !id.isTextual()
          || id.asText().isEmpty()
          || !inBatch.contains(id.asText())) {
        return List.of();
      }
      failed.add(id.asText());
    }
    return batch.stream().filter(m -> !failed.contains(m.messageId())).toList();
  }
}
