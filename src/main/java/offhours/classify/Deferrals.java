package offhours.classify;

import com.amazonaws.services.lambda.runtime.events.SQSEvent.MessageAttribute;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Endpoint unavailable is never the message's fault: a delayed copy goes back on the queue with the
 * deferral count incremented, and the original is acknowledged, so its receive count never walks it
 * toward the DLQ (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html).
 */
final class Deferrals {

  /** Message attribute counting how often a message was handed back because the endpoint was unavailable. */
  static final String ATTRIBUTE = "offhours-deferrals";

  private final SqsClient sqs;
  private final String queueUrl;
  private final int delaySeconds;

  Deferrals(SqsClient sqs, String queueUrl, int delaySeconds) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.delaySeconds = delaySeconds;
  }

  /** Sends the copy; the caller acknowledges the original only if this returns. */
  void send(SQSMessage message) {
    Map<String, MessageAttributeValue> attributes = new HashMap<>();
    if (message.getMessageAttributes() != null) {
      message.getMessageAttributes().forEach((name, value) -> {
        if (!ATTRIBUTE.equals(name) && value.getStringValue() != null) {
          attributes.put(name, MessageAttributeValue.builder()
              .dataType(value.getDataType()).stringValue(value.getStringValue()).build());
        }
      });
    }
    attributes.put(ATTRIBUTE, MessageAttributeValue.builder()
        .dataType("Number").stringValue(Integer.toString(count(message) + 1)).build());
    sqs.sendMessage(r -> r
        .queueUrl(queueUrl)
        .messageBody(message.getBody())
        .delaySeconds(delaySeconds)
        .messageAttributes(attributes));
  }

  /** SQS receives of this copy plus the deferrals of the copies before it. */
  static int attempts(SQSMessage message) {
    return receives(message) + count(message);
  }

  /** SQS receives of this copy (a deferred copy starts again at 1). */
  static int receives(SQSMessage message) {
    Map<String, String> attributes = message.getAttributes();
    return Math.max(1, parse(attributes == null ? null : attributes.get("ApproximateReceiveCount")));
  }

  static int count(SQSMessage message) {
    Map<String, MessageAttribute> attributes = message.getMessageAttributes();
    MessageAttribute value = attributes == null ? null : attributes.get(ATTRIBUTE);
    return value == null ? 0 : Math.max(0, parse(value.getStringValue()));
  }

  private static int parse(String number) {
    try {
      return number == null ? 0 : Integer.parseInt(number.strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
