package offhours.local.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The pure parts of Lambda's SQS integration: the event a function receives and which messages are
 * deleted afterwards. Nothing here talks to SQS.
 */
final class SqsBatches {

  private SqsBatches() {}

  /**
   * Builds the event exactly as Lambda delivers it: the message as SQS returned it to the poller, plus
   * {@code eventSource}, {@code eventSourceARN} and {@code awsRegion}. See the example event in
   * https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
   */
  static SQSEvent event(List<Message> messages, String queueArn, String region) {
    List<SQSEvent.SQSMessage> records = new ArrayList<>(messages.size());
    for (Message message : messages) {
      SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
      record.setMessageId(message.messageId());
      record.setReceiptHandle(message.receiptHandle());
      record.setBody(message.body());
      record.setMd5OfBody(message.md5OfBody());
      record.setMd5OfMessageAttributes(message.md5OfMessageAttributes());
      record.setAttributes(new LinkedHashMap<>(message.attributesAsStrings()));
      record.setMessageAttributes(attributes(message.messageAttributes()));
      record.setEventSource("aws:sqs");
      record.setEventSourceArn(queueArn);
      record.setAwsRegion(region);
      records.add(record);
    }
    SQSEvent event = new SQSEvent();
    event.setRecords(records);
    return event;
  }

  // Lambda always sends both list members, empty when unused ("stringListValues": [], "binaryListValues": []).
  private static Map<String, SQSEvent.MessageAttribute> attributes(Map<String, MessageAttributeValue> values) {
    Map<String, SQSEvent.MessageAttribute> attributes = new LinkedHashMap<>();
    values.forEach((name, value) -> {
      SQSEvent.MessageAttribute attribute = new SQSEvent.MessageAttribute();
      attribute.setDataType(value.dataType());
      attribute.setStringValue(value.stringValue());
      attribute.setBinaryValue(value.binaryValue() == null ? null : value.binaryValue().asByteBuffer());
      attribute.setStringListValues(new ArrayList<>(value.stringListValues()));
      attribute.setBinaryListValues(value.binaryListValues().stream().map(SdkBytes::asByteBuffer).toList());
      attributes.put(name, attribute);
    });
    return attributes;
  }

  /**
   * The messages of a batch whose function returned normally that Lambda deletes. Without
   * {@code ReportBatchItemFailures} the response is ignored and every message is deleted. With it, a
   * null or empty response means complete success, and a failure with a null, empty or unknown
   * {@code itemIdentifier} makes the whole batch a failure (nothing deleted), as documented in
   * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html#services-sqs-batchfailurereporting
   */
  static List<Message> toDelete(List<Message> batch, SQSBatchResponse response, boolean reportBatchItemFailures) {
    if (!reportBatchItemFailures || response == null || response.getBatchItemFailures() == null) {
      return batch;
    }
    Set<String> inBatch = new HashSet<>();
    batch.forEach(m -> inBatch.add(m.messageId()));
    Set<String> failed = new HashSet<>();
    for (SQSBatchResponse.BatchItemFailure failure : response.getBatchItemFailures()) {
      String id = failure == null ? null : failure.getItemIdentifier();
      if (id == null || id.isEmpty() || !inBatch.contains(id)) {
        return List.of();
      }
      failed.add(id);
    }
    return batch.stream().filter(m -> !failed.contains(m.messageId())).toList();
  }
}
