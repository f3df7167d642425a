package offhours.classify;

import java.util.HashMap;
import java.util.Map;
import offhours.aws.SqsText;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Endpoint unavailable is never the message's fault: a delayed copy goes back on the queue with the
 * deferral count incremented and the reason attached, and the original is acknowledged, so its receive count
 * never walks it toward the DLQ
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html).
 * The count is bounded by the caller (MAX_DEFERRALS); a message that reaches the DLQ after that still carries the
 * reason of its last deferral. A deferral because the endpoint throttled is counted apart, in
 * {@link #THROTTLES_ATTRIBUTE}, which no bound reads: a throttle means the endpoint is alive and busy (a serverless
 * endpoint at its MaxConcurrency), which says nothing against the message however often it happens. Both counts are
 * attempts.
 */
final class Deferrals {

  /** Message attribute counting how often a message was handed back because the endpoint was unavailable. */
  static final String ATTRIBUTE = "offhours-deferrals";
  /** Message attribute counting the hand-backs because the endpoint throttled (not bounded by MAX_DEFERRALS). */
  static final String THROTTLES_ATTRIBUTE = "offhours-throttles";
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

  /**
   * Sends the copy; the caller acknowledges the original only if this returns.
   *
   * @param throttled whether the endpoint only throttled: one more throttle, not one more deferral
   */
  void send(QueueMessage message, String reason, boolean throttled) {
    Map<String, MessageAttributeValue> attributes = new HashMap<>();
    message.messageAttributes().forEach((name, value) -> {
      if (!ATTRIBUTE.equals(name)
          && !THROTTLES_ATTRIBUTE.equals(name)
          && !REASON_ATTRIBUTE.equals(name)) {
        attributes.put(
            name,
            MessageAttributeValue.builder()
                .dataType(value.dataType())
                .stringValue(value.stringValue())
                .build());
      }
    });
    putCount(attributes, ATTRIBUTE, count(message) + (throttled ? 0 : 1));
    putCount(attributes, THROTTLES_ATTRIBUTE, throttles(message) + (throttled ? 1 : 0));
    attributes.put(
        REASON_ATTRIBUTE,
        MessageAttributeValue.builder()
            .dataType("String")
            // The reason quotes the model container's own error text, which may hold characters
            // SQS refuses (an ANSI escape, a NUL): the send would fail and the receive be spent.
            .stringValue(SqsText.of(reason, REASON_LIMIT))
            .build());
    sqs.sendMessage(r -> r.queueUrl(queueUrl)
        .messageBody(message.body())
        .delaySeconds(delaySeconds)
        .messageAttributes(attributes));
  }

  private static void putCount(
      Map<String, MessageAttributeValue> attributes, String name, int count) {
    if (count > 0) {
      attributes.put(
          name,
          MessageAttributeValue.builder()
              .dataType("Number")
              .stringValue(Integer.toString(count))
              .build());
    }
  }

  /** SQS receives of this copy plus the deferrals and throttles of the copies before it. */
  static int attempts(QueueMessage message) {
    return receives(message) + count(message) + throttles(message);
  }

  /** SQS receives of this copy (a deferred copy starts again at 1). */
  static int receives(QueueMessage message) {
    return Math.max(1, parse(message.attributes().get("ApproximateReceiveCount")));
  }

  /** Deferrals of the copies before this one, throttles not counted: what MAX_DEFERRALS bounds. */
  static int count(QueueMessage message) {
    return number(message, ATTRIBUTE);
  }

  /** Hand-backs of the copies before this one because the endpoint throttled. */
  static int throttles(QueueMessage message) {
    return number(message, THROTTLES_ATTRIBUTE);
  }

  private static int number(QueueMessage message, String attribute) {
    QueueMessage.UserAttribute value = message.messageAttributes().get(attribute);
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
