package offhours.endpoint;

import java.time.Instant;
import java.util.Objects;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The run timer as a delayed message on the stack's ControllerTimerQueue, which is an SQS event source of the
 * controller function: SQS holds a message back for DelaySeconds, at most 15 minutes
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-timers.html), then Lambda
 * delivers it and the controller runs.
 */
public final class SqsRunTimer implements RunTimer {
  private final SqsClient sqs;
  private final String queueUrl;

  public SqsRunTimer(SqsClient sqs, String queueUrl) {
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
  }

  @Override
  public void send(Instant runAt, int delaySeconds) {
    sqs.sendMessage(r ->
        r.queueUrl(queueUrl).delaySeconds(delaySeconds).messageBody(RunTrigger.timerBody(runAt)));
  }
}
