package offhours.aws;

import java.util.Map;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The message counts GetQueueAttributes answers (ApproximateNumberOfMessages, ...NotVisible, ...Delayed), and the
 * numbers a received message's system attributes hold (ApproximateReceiveCount, SentTimestamp), read as numbers in one
 * place for the controller, the API and the command line
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html,
 * API_ReceiveMessage.html).
 */
public final class SqsCounts {

  private SqsCounts() {}

  /**
   * The count {@code name} of a queue's {@code attributes}: 0 when the answer has none (an SQS may leave out a count
   * it keeps no track of, and a stub leaves out what a test does not need).
   *
   * @throws IllegalStateException naming the attribute and what SQS answered, when that is not a whole number from 0
   */
  public static long of(Map<QueueAttributeName, String> attributes, QueueAttributeName name) {
    String value = attributes.get(name);
    if (value == null) {
      return 0;
    }
    long count = wholeNumber(value);
    if (count >= 0) {
      return count;
    }
    throw new IllegalStateException("SQS answered " + name + " '" + SqsText.of(value, 40)
        + "', which is not a count of messages (a whole number from 0)");
  }

  /**
   * The number the system attribute {@code name} of a received {@code message} holds (ApproximateReceiveCount, or
   * SentTimestamp in milliseconds since 1970), or {@code absent} when the message has none (it was not asked for).
   *
   * @throws IllegalStateException naming the attribute, the message's id and what SQS answered, when that is not a
   *     whole number from 0
   */
  public static long of(Message message, MessageSystemAttributeName name, long absent) {
    String value = message.attributes().get(name);
    if (value == null) {
      return absent;
    }
    long number = wholeNumber(value);
    if (number >= 0) {
      return number;
    }
    throw new IllegalStateException("SQS answered " + name + " '" + SqsText.of(value, 40)
        + "' for message " + SqsText.of(String.valueOf(message.messageId()), 100)
        + ", which is not a whole number from 0");
  }

  /** {@code value} as SQS writes a number, or -1 when it is not one from 0. */
  private static long wholeNumber(String value) {
    try {
      return Math.max(-1, Long.parseLong(value));
    } catch (NumberFormatException e) {
      return -1; // said by the caller, with the attribute's name
    }
  }
}
