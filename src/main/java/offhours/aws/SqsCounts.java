package offhours.aws;

import java.util.Map;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The message counts GetQueueAttributes answers (ApproximateNumberOfMessages, ...NotVisible, ...Delayed), read as
 * numbers in one place for the controller, the API and the command line
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html).
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
    try {
      long count = Long.parseLong(value);
      if (count >= 0) {
        return count;
      }
    } catch (NumberFormatException e) {
      // said below, with the attribute's name
    }
    throw new IllegalStateException("SQS answered " + name + " '" + SqsText.of(value, 40)
        + "', which is not a count of messages (a whole number from 0)");
  }
}
