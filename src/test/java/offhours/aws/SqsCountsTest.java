package offhours.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class SqsCountsTest {

  private static final QueueAttributeName VISIBLE =
      QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES;

  @Test
  void aCountIsReadAsTheNumberSqsAnswered() {
    assertThat(SqsCounts.of(Map.of(VISIBLE, "120"), VISIBLE)).isEqualTo(120);
    assertThat(SqsCounts.of(Map.of(VISIBLE, "0"), VISIBLE)).isZero();
  }

  @Test
  void aCountTheAnswerLeftOutIsZero() {
    assertThat(SqsCounts.of(
            Map.of(QueueAttributeName.QUEUE_ARN, "arn:aws:sqs:eu-west-1:1:q"), VISIBLE))
        .isZero();
  }

  @Test
  void aCountThatIsNoWholeNumberFromZeroIsRefusedNamingItAndWhatSqsAnswered() {
    for (String bad : new String[] {"many", "", "1.5", "-1", "99999999999999999999"}) {
      assertThatThrownBy(() -> SqsCounts.of(Map.of(VISIBLE, bad), VISIBLE))
          .as(bad)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("SQS answered ApproximateNumberOfMessages '" + bad
              + "', which is not a count of messages (a whole number from 0)");
    }
  }

  @Test
  void aMessagesSystemAttributeIsReadAsTheNumberSqsAnsweredOrAsAbsent() {
    Message message = Message.builder()
        .messageId("m-1")
        .attributes(Map.of(MessageSystemAttributeName.SENT_TIMESTAMP, "1764000000000"))
        .build();

    assertThat(SqsCounts.of(message, MessageSystemAttributeName.SENT_TIMESTAMP, 0))
        .isEqualTo(1_764_000_000_000L);
    assertThat(SqsCounts.of(message, MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, 7))
        .isEqualTo(7);
  }

  @Test
  void aMessagesSystemAttributeThatIsNoWholeNumberFromZeroIsRefusedNamingItTheMessageAndTheValue() {
    for (String bad : new String[] {"soon", "", "1.5", "-1", "99999999999999999999"}) {
      Message message = Message.builder()
          .messageId("m-1")
          .attributes(Map.of(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, bad))
          .build();

      assertThatThrownBy(
              () -> SqsCounts.of(message, MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, 0))
          .as(bad)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("SQS answered ApproximateReceiveCount '" + bad
              + "' for message m-1, which is not a whole number from 0");
    }
  }
}
