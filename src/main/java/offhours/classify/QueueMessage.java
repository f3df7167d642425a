package offhours.classify;

import java.util.Map;

/**
 * One record of the SQS event Lambda hands the function: the message as SQS delivered it, with the parts offhours
 * reads (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html, "Example standard queue message event").
 *
 * @param receiptHandle this receive's handle, which a ChangeMessageVisibility names ({@link RetryPace}); null when
 *     the event has none (a hand-made event)
 * @param attributes SQS's system attributes, e.g. {@code ApproximateReceiveCount}
 * @param messageAttributes the sender's attributes with a string value (offhours' deferral count and reason)
 * @param eventSourceArn the queue's ARN, or null
 */
record QueueMessage(
    String messageId,
    String receiptHandle,
    String body,
    Map<String, String> attributes,
    Map<String, UserAttribute> messageAttributes,
    String eventSourceArn) {

  /** A message attribute with a string value: {@code dataType} is String or Number (or a custom String.x type). */
  record UserAttribute(String dataType, String stringValue) {}

  QueueMessage {
    if (messageId == null || messageId.isEmpty()) {
      throw new IllegalArgumentException("an SQS record without a messageId");
    }
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    messageAttributes = messageAttributes == null ? Map.of() : Map.copyOf(messageAttributes);
  }
}
