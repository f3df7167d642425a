package offhours.classify;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Endpoint unavailable is never the message's fault: a delayed copy goes back on the queue with the
 * deferral count incremented and the reason attached, and the original is acknowledged, so its receive count
 * never walks it toward the DLQ
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html).
 * The count is bounded by the caller (MAX_DEFERRALS); a message that reaches the DLQ after that still carries the
 * reason of its last deferral.
 */
final class Deferrals {

  /** Message attribute counting how often a message was handed back because the endpoint was unavailable. */
  static final String ATTRIBUTE = "offhours-deferrals";
  /** Message attribute with the reason of the latest deferral (so a message in the DLQ says why it waited). */
  static final String REASON_ATTRIBUTE = "offhours-deferral-reason";
  /** Reasons are cut to this many characters: an attribute travels with every receive. */
  static final int REASON_LIMIT = 1000;

  private final SqsClient sqs;
  private final String queueUrl;
  private final int delaySeconds;

  Deferrals(SqsClient sqs, String queueUrl, int delaySeconds) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.delaySeconds = delaySeconds;
  }

  /** Sends the copy; the caller acknowledges the original only if this returns. */
  void send(QueueMessage message, String reason) {
    Map<String, MessageAttributeValue> attributes = new HashMap<>();
    message.messageAttributes().forEach((name, value) -> {
      if (!ATTRIBUTE.equals(name) && !REASON_ATTRIBUTE.equals(name)) {
        attributes.put(
            name,
            MessageAttributeValue.builder()
                .dataType(value.dataType())
                .stringValue(value.stringValue())
                .build());
      }
    });
    attributes.put(
        ATTRIBUTE,
        MessageAttributeValue.builder()
            .dataType("Number")
            .stringValue(Integer.toString(count(message) + 1))
            .build());
    attributes.put(
        REASON_ATTRIBUTE,
        MessageAttributeValue.builder()
            .dataType("String")
            .stringValue(
                reason.length() > REASON_LIMIT
                    ? reason.substring(0, REASON_LIMIT - 3) + "..."
                    : reason)
            .build());
    sqs.sendMessage(r -> r.queueUrl(queueUrl)
        .messageBody(message.body())
        .delaySeconds(delaySeconds)
        .messageAttributes(attributes));
  }

  /** SQS receives of this copy plus the deferrals of the copies before it. */
  static int attempts(QueueMessage message) {
    return receives(message) + count(message);
  }

  /** SQS receives of this copy (a deferred copy starts again at 1). */
  static int receives(QueueMessage message) {
    return Math.max(1, parse(message.attributes().get("ApproximateReceiveCount")));
  }

  static int count(QueueMessage message) {
    QueueMessage.UserAttribute value = message.messageAttributes().get(ATTRIBUTE);
    return value == null ? 0 : Math.max(0, parse(value.stringValue()));
  }

  private static int parse(String number) {
    try {
      return number == null ? 0 : Integer.parseInt(number.strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
