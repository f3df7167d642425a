package offhours.aws;

import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** What an SQS error means, told by its error code, for every caller that meets one. */
public final class SqsErrors {

  private SqsErrors() {}

  /**
   * Whether {@code e} says the queue does not exist. SQS answers QueueDoesNotExist (JSON protocol) or
   * AWS.SimpleQueueService.NonExistentQueue (query protocol, which moto_server still uses); the SDK maps only the
   * first to {@link QueueDoesNotExistException}.
   */
  public static boolean missingQueue(SqsException e) {
    if (e instanceof QueueDoesNotExistException) {
      return true;
    }
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    return "QueueDoesNotExist".equals(code)
        || "AWS.SimpleQueueService.NonExistentQueue".equals(code);
  }
}
