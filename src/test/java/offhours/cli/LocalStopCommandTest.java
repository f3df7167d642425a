package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import offhours.cli.Target.Name;
import offhours.testing.QueueAttributesSqs;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** What {@code local stop} says of the stack's queue before it stops it. */
class LocalStopCommandTest {

  private static final Target QUEUES =
      TestTargets.local(Map.of(Name.QUEUE_URL, "http://q/uploads", Name.DLQ_URL, "http://q/dlq"));

  @Test
  void itCountsTheQueueAsQueueCountsItAndSaysTheyGoWithTheStack() {
    List<GetQueueAttributesRequest> reads = new ArrayList<>();
    QueueAttributesSqs sqs = new QueueAttributesSqs(reads);
    sqs.attributes = Map.of(
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "2",
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "1",
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED, "0");

    String line = LocalStopCommand.inQueue(() -> LocalStopCommand.counts(QUEUES, sqs));

    assertThat(line)
        .as("this fake answers the dead-letter queue's read with the same counts: 3 messages")
        .isEqualTo(
            "the local stack's queue still holds 3 uploads (2 waiting, 1 in flight, 0 delayed) and its"
                + " dead-letter queue 3 messages; none of them will be classified");
    assertThat(reads)
        .extracting(GetQueueAttributesRequest::queueUrl)
        .containsExactly("http://q/uploads", "http://q/dlq");
    assertThat(LocalStopCommand.inQueue(() -> new QueueCommand.Counts(0, 0, 0, 0)))
        .isEqualTo("the local stack's queue and its dead-letter queue are empty");
    assertThat(LocalStopCommand.inQueue(() -> new QueueCommand.Counts(0, 0, 0, 2)))
        .isEqualTo(
            "the local stack's queue still holds 0 uploads (0 waiting, 0 in flight, 0 delayed) and"
                + " its dead-letter queue 2 messages; none of them will be classified");
  }

  @Test
  void aQueueThatCannotBeReadIsAnUnknownCountAndTheStackStopsAllTheSame() {
    QueueAttributesSqs sqs = new QueueAttributesSqs(new ArrayList<>());
    sqs.failWith = (SqsException)
        SqsException.builder().message("connection refused\u001b[2J").build();

    assertThat(LocalStopCommand.inQueue(() -> LocalStopCommand.counts(QUEUES, sqs)))
        .isEqualTo(
            "how many uploads the local stack's queue still holds is unknown (reading it failed:"
                + " connection refused\\x1b[2J); stopping it all the same");
    assertThat(new LocalStopCommand().description())
        .contains(
            "says the count is unknown and why (naming a queue that does not exist), and stops it all the\nsame");
  }

  /**
   * A stack whose queue or dead-letter queue was deleted (moto_server's code, which the SDK maps to no exception of
   * its own): the line names the queue and its state file key as every command names a queue that does not exist,
   * where it passed on SQS's "The specified queue does not exist" naming neither; no advice to restart the stack,
   * which is stopping.
   */
  @Test
  void aQueueThatDoesNotExistIsNamedAndTheStackStopsAllTheSame() {
    String queue = "http://localhost:4566/000000000000/offhours-queue";
    String dlq = "http://localhost:4566/000000000000/offhours-dlq";
    Target target = TestTargets.local(Map.of(Name.QUEUE_URL, queue, Name.DLQ_URL, dlq));
    for (String gone : List.of(queue, dlq)) {
      SqsClient sqs = new SqsClient() {
        @Override
        public GetQueueAttributesResponse getQueueAttributes(GetQueueAttributesRequest request) {
          if (request.queueUrl().equals(gone)) {
            throw SqsException.builder()
                .message("The specified queue does not exist for this wsdl version.")
                .awsErrorDetails(AwsErrorDetails.builder()
                    .errorCode("AWS.SimpleQueueService.NonExistentQueue")
                    .serviceName("Sqs")
                    .build())
                .build();
          }
          return GetQueueAttributesResponse.builder().build();
        }

        @Override
        public String serviceName() {
          return "sqs";
        }

        @Override
        public void close() {}
      };

      assertThat(LocalStopCommand.inQueue(() -> LocalStopCommand.counts(target, sqs)))
          .isEqualTo(
              "how many uploads the local stack's queue still holds is unknown: queue " + gone
                  + " (" + (gone.equals(queue) ? "QueueUrl" : "DeadLetterQueueUrl")
                  + " of the local stack) does not exist; stopping it all the same");
    }
  }
}
