package offhours.endpoint;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.sqs.SqsClient;

/** {@link TestEventSweep.SweptQueue} on SQS: ReceiveMessage of one, DeleteMessage, ChangeMessageVisibility to 0. */
public final class SqsSweptQueue implements TestEventSweep.SweptQueue {
  private final SqsClient sqs;
  private final String queueUrl;

  public SqsSweptQueue(SqsClient sqs, String queueUrl) {
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
  }

  @Override
  public Optional<TestEventSweep.Held> receive(Duration wait, Duration hold) {
    return sqs
        .receiveMessage(r -> r.queueUrl(queueUrl)
            .maxNumberOfMessages(1)
            .waitTimeSeconds((int) wait.toSeconds())
            .visibilityTimeout((int) hold.toSeconds()))
        .messages()
        .stream()
        .findFirst()
        .map(m -> new TestEventSweep.Held(m.body(), m.receiptHandle()));
  }

  @Override
  public void delete(TestEventSweep.Held message) {
    sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
  }

  @Override
  public void release(TestEventSweep.Held message) {
    sqs.changeMessageVisibility(
        r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()).visibilityTimeout(0));
  }
}
