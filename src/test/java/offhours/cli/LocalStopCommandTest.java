package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import offhours.testing.QueueAttributesSqs;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** What {@code local stop} says of the stack's queue before it stops it. */
class LocalStopCommandTest {

  @Test
  void itCountsTheQueueAsQueueCountsItAndSaysTheyGoWithTheStack() {
    List<GetQueueAttributesRequest> reads = new ArrayList<>();
    QueueAttributesSqs sqs = new QueueAttributesSqs(reads);
    sqs.attributes = Map.of(
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "2",
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "1",
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED, "0");

    String line = LocalStopCommand.inQueue(
        () -> QueueCommand.counts(sqs, "http://q/uploads", "http://q/dlq"));

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

    assertThat(LocalStopCommand.inQueue(
            () -> QueueCommand.counts(sqs, "http://q/uploads", "http://q/dlq")))
        .isEqualTo(
            "how many uploads the local stack's queue still holds is unknown (reading it failed:"
                + " connection refused\\x1b[2J); stopping it all the same");
    assertThat(new LocalStopCommand().description())
        .contains("says the count is unknown and stops it all the same");
  }
}
